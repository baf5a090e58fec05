import assert from 'node:assert/strict';

import type { Locator } from 'playwright-core';

/**
 * The step page says each thing once: an intro and a status line repeating a sentence (or the clause before a
 * colon) read as a glitch. Short labels ("Passcode", "Verify") are not sentences.
 */
export async function expectNoRepeatedSentence(card: Locator): Promise<void> {
  const text = await card.innerText();
  const seen = new Set<string>();
  for (const part of text.split(/[.:!?…\n]+/)) {
    const sentence = part.trim().toLowerCase();
    if (sentence.split(/\s+/).length < 4) continue;
    assert.ok(!seen.has(sentence), `"${sentence}" appears twice on the step page:\n${text}`);
    seen.add(sentence);
  }
}
