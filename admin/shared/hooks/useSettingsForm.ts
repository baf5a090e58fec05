import { useCallback, useState } from 'react';

import type { AudienceName, Settings } from '../api/types.ts';
import { fromSettings, type FormValues, type KeyField } from '../utils/formValues.ts';
import { applyChoice, type ChoiceName } from '../utils/layout.ts';
import type { FieldErrors } from '../utils/schema.ts';

export interface SettingsFormState {
  values: FormValues;
  errors: FieldErrors;
  setKey(field: KeyField, value: string): void;
  setEnabled(audience: AudienceName, enabled: boolean): void;
  setChoice(audience: AudienceName, name: ChoiceName, raw: string | number): void;
  setErrors(errors: FieldErrors): void;
  /** Back to what the server holds (after a save): typed secrets are dropped. */
  reset(settings: Settings): void;
}

/** The form's values and per-field errors; editing a field clears that field's error. */
export function useSettingsForm(initial: Settings): SettingsFormState {
  const [values, setValues] = useState<FormValues>(() => fromSettings(initial));
  const [errors, setErrors] = useState<FieldErrors>({});

  const clearError = useCallback((path: string) => {
    setErrors((current) => (current[path] === undefined ? current : { ...current, [path]: undefined }));
  }, []);

  const setKey = useCallback(
    (field: KeyField, value: string) => {
      setValues((current) => ({ ...current, [field]: value }));
      clearError(field);
    },
    [clearError],
  );

  const setEnabled = useCallback(
    (audience: AudienceName, enabled: boolean) => {
      setValues((current) => ({ ...current, [audience]: { ...current[audience], enabled } }));
      clearError(`${audience}.enabled`);
    },
    [clearError],
  );

  const setChoice = useCallback(
    (audience: AudienceName, name: ChoiceName, raw: string | number) => {
      setValues((current) => ({ ...current, [audience]: applyChoice(audience, current[audience], name, raw) }));
      clearError(`${audience}.${name}`);
    },
    [clearError],
  );

  const reset = useCallback((settings: Settings) => {
    setValues(fromSettings(settings));
    setErrors({});
  }, []);

  return { values, errors, setKey, setEnabled, setChoice, setErrors, reset };
}
