/**
 * What one select or checkbox of the settings form shows, in words already translated: the shared hooks work these
 * out, and each admin's SelectField and CheckField lay them out with its own design system.
 */

export interface SelectView<V extends string = string> {
  name: string;
  label: string;
  hint?: string | undefined;
  error?: string | undefined;
  value: V;
  disabled: boolean;
  options: ReadonlyArray<{ value: V; label: string }>;
  onChange: (raw: string | number) => void;
}

export interface CheckView {
  name: string;
  label: string;
  hint: string;
  error: string | undefined;
  checked: boolean;
  disabled: boolean;
  onChange: (checked: boolean) => void;
}
