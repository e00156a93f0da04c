/** "退订", "TD", "取消订阅": a client asking for no more calendar content (the whole message, nothing else). */
const OPT_OUT = /^\s*(?:@\S+\s*)*(?:退订|TD|td|取消订阅|不要再发了?)\s*[。.!！]?\s*$/u;

/** Whether a client's chat message asks to be opted out of calendar content. */
export const asksToOptOut = (text: string): boolean => OPT_OUT.test(text);
