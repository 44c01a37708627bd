/**
 * Dictionary labels inside a sentence: capitalised words lowered, acronyms kept.
 *
 * @example inSentence("Source of Contact") // "source of contact"; inSentence("DASH Risk") // "DASH risk"
 */
export const inSentence = (label: string): string => label.replace(/\b[A-Z](?=[a-z])/g, (c) => c.toLowerCase());
