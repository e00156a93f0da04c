/**
 * Text normalisation shared by questions and queries: the same input always gives the same units, so what
 * the index stores and what a client types meet on equal terms.
 */

// Traditional → simplified for the characters that turn up in banking questions. Not a full converter
// (that needs a phrase table); a single-character map is cheap and catches clients typing in 繁體.
const TRADITIONAL =
  '銀银聯联帳账賬账戶户號号碼码務务費费額额轉转錢钱還还開开辦办掛挂儲储貸贷記记動动機机電电話话網网單单' +
  '條条無无為为麼么個个這这們们時时間间點点實实證证驗验設设寶宝從从會会應应發发給给絡络問问題题請请嗎吗' +
  '沒没錯错綁绑買买賣卖價价匯汇據据處处確确認认僅仅讓让樣样關关於于當当後后麵面裡里筆笔餘余歲岁壓压圖图' +
  '際际國国內内華华鐘钟長长與与現现幣币換换貨货雲云閃闪陸陆場场準准線线權权黃黄車车廳厅臺台灣湾區区達达' +
  '過过門门滿满變变邊边體体級级紅红紀纪約约貼贴購购資资產产險险財财幫帮態态說说讀读頁页顯显預预領领頭头' +
  '標标續续維维護护齊齐損损壞坏凍冻結结鎖锁補补丟丢遺遗詢询訊讯鐵铁廣广慶庆歷历億亿萬万義义兌兑歸归離离' +
  '聽听雙双舊旧憑凭擇择繳缴稅税總总幾几啟启並并來来對对將将專专業业東东親亲員员園园圓圆覺觉觀观誰谁識识' +
  '調调談谈豐丰貴贵贈赠趕赶蹤踪輸输農农運运郵邮鄉乡醫医釋释錄录鍵键閱阅隊队隨随靈灵頻频風风飛飞館馆髮发' +
  '鬆松齡龄虛虚裝装複复規规視视訂订計计許许評评試试詳详誤误語语課课論论諮咨責责質质贖赎辭辞遞递選选遲迟' +
  '鄰邻鍾钟閉闭陽阳雜杂難难須须頂顶饋馈馬马鬧闹黨党團团屬属島岛';

const TRAD_MAP: ReadonlyMap<string, string> = (() => {
  const m = new Map<string, string>();
  const chars = [...TRADITIONAL];
  for (let i = 0; i + 1 < chars.length; i += 2) m.set(chars[i] as string, chars[i + 1] as string);
  return m;
})();

/** Placeholder unit for a short number (an amount, a time, a count). */
export const NUMBER_UNIT = '#n';
/** Placeholder unit for a long digit run (a card, account or phone number). */
export const LONG_NUMBER_UNIT = '#l';

/** Digit runs this long or longer are identifiers rather than quantities. */
const LONG_DIGITS = 7;

/** The most characters of one text the index ever looks at; longer input is cut (never an error). */
export const MAX_TEXT_CHARS = 1000;

/**
 * NFKC (full-width → half-width), lower case, traditional → simplified for common characters, and every
 * run of punctuation, symbols and emoji turned into one space.
 */
export function normalizeText(text: string): string {
  const cut = text.length > MAX_TEXT_CHARS ? text.slice(0, MAX_TEXT_CHARS) : text;
  let out = '';
  for (const ch of cut.normalize('NFKC').toLowerCase()) out += TRAD_MAP.get(ch) ?? ch;
  return out
    .replace(/(\d)[.,](?=\d)/gu, '$1')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

const UNIT_PATTERN = /[a-z]+|\d+|\p{Script=Han}|[\p{L}\p{N}]/gu;

/**
 * Splits normalised text into units: one Han character, one Latin word, or one number placeholder each.
 * Character n-grams are built over units, so `pay` or a card number counts as one "character".
 */
export function textUnits(normalized: string): string[][] {
  const runs: string[][] = [];
  for (const run of normalized.split(' ')) {
    if (!run) continue;
    const units: string[] = [];
    for (const m of run.matchAll(UNIT_PATTERN)) {
      const u = m[0];
      const c = u.charCodeAt(0);
      units.push(c >= 48 && c <= 57 ? (u.length >= LONG_DIGITS ? LONG_NUMBER_UNIT : NUMBER_UNIT) : u);
    }
    if (units.length > 0) runs.push(units);
  }
  return runs;
}

/** The class placeholder of a digit-only word (`#n` or `#l`), or undefined for any other word. */
export function numberClass(word: string): string | undefined {
  const c = word.charCodeAt(0);
  if (c < 48 || c > 57 || !/^\d+$/u.test(word)) return undefined;
  return word.length >= LONG_DIGITS ? LONG_NUMBER_UNIT : NUMBER_UNIT;
}
