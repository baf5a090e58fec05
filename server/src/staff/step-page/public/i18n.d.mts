/** Types of i18n.mjs, for the unit tests that import it (the page itself is plain JavaScript). */

export type Entry = string | { one?: string; other: string };
export type Dictionary = Readonly<Record<string, Entry>>;
export type Values = Readonly<Record<string, string | number>>;

export interface Translate {
  (key: string, values?: Values): string;
  readonly language: string;
}

export declare const MESSAGES: Readonly<Record<'en' | 'fr' | 'de', Dictionary>>;
export declare const LANGUAGES: string[];
export declare const ADMIN_LANGUAGE_KEY: string;
export declare function pickLanguage(stored: unknown, browserLanguages?: readonly unknown[]): string;
export declare function translator(language: string): Translate;
export declare function placeholders(entry: Entry): string[];
export declare function translatePage(document: unknown, t: Translate): void;
