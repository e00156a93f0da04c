import type { WelcomeComposer } from '../src/modules/contacts/welcome.service.ts';
import type { ContentRenderService } from '../src/modules/content/content-render.service.ts';
import { RenderError } from '../src/modules/content/render.ts';

/** The library components a welcome is made of. */
export const WELCOME_TEXTS = {
  /** The greeting, per client tier, in the RM persona's voice where the library has one. */
  greeting: 'welcome-new-client',
  /** The invitation to the tier's group, added only when that group has a join link. */
  joinGroup: 'welcome-join-group',
} as const;

/**
 * The welcome a new client receives from the RM they added: the greeting for their tier (the RM persona's
 * own wording where the library has one), then, when the tier's group has a join link, the invitation to
 * it. It answers the add events the contacts module handles (attribution first, then this welcome); the
 * sending and its 20-second window are the welcome service's. A tier the library writes nothing for is
 * greeted as a basic-tier client.
 */
export function createWelcomeBot(deps: {
  content: Pick<ContentRenderService, 'renderApprovedText'>;
}): WelcomeComposer {
  return async (tx, input) => {
    const render = async (componentId: string, tier: string, context?: Record<string, unknown>) =>
      deps.content.renderApprovedText(
        componentId,
        {
          client: { externalUserid: input.externalUserid, tier, name: input.clientName },
          rm: { name: input.rmName },
          personaId: input.persona,
          ...(context ? { context } : {}),
        },
        tx,
      );
    const inTier = async (componentId: string, context?: Record<string, unknown>) =>
      render(componentId, input.tier, context).catch((err: unknown) => {
        if (err instanceof RenderError && err.code === 'no_variant' && input.tier !== 'basic')
          return render(componentId, 'basic', context);
        throw err;
      });
    const greeting = await inTier(WELCOME_TEXTS.greeting);
    const templateId = `${WELCOME_TEXTS.greeting}@${greeting.version}/${greeting.variantId}`;
    if (!input.joinLink) return { templateId, text: greeting.text };
    const join = await inTier(WELCOME_TEXTS.joinGroup, { joinLink: input.joinLink });
    return { templateId, text: `${greeting.text}\n${join.text}` };
  };
}
