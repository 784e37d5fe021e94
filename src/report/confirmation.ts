/** How a finding's --confirm status reads in a report: `confirmed on PGlite 18.7 with ...`. */
import type { Confirmation } from '../model.js';

export function statusWords(status: Confirmation['status']): string {
  return status === 'confirmed' ? 'confirmed' : status === 'not-reproduced' ? 'not reproduced' : 'confirmation skipped';
}

/** The status and the evidence as one line (evidence starting with "on ..." follows the status directly). */
export function confirmationSentence(conf: Confirmation, capital = false): string {
  const words = statusWords(conf.status);
  const head = capital ? words[0]!.toUpperCase() + words.slice(1) : words;
  return conf.evidence.startsWith('on ') ? `${head} ${conf.evidence}` : `${head}: ${conf.evidence}`;
}
