import { useCallback, useState } from 'react';

import type { AudienceName, IntegrationType, RoleEnforcement, Settings } from '../api/types.ts';
import { fromSettings, type FormValues, type TextField } from '../utils/formValues.ts';
import { applyChoice, type ChoiceName } from '../utils/layout.ts';
import type { FieldErrors } from '../utils/schema.ts';

export interface SettingsFormState {
  values: FormValues;
  errors: FieldErrors;
  setKey(field: TextField, value: string): void;
  setIntegration(integration: IntegrationType): void;
  setEnabled(audience: AudienceName, enabled: boolean): void;
  setChoice(audience: AudienceName, name: ChoiceName, raw: string | number): void;
  setRememberDevices(audience: AudienceName, remember: boolean): void;
  /** The audience's per-role overrides. */
  setRoles(audience: AudienceName, roles: RoleEnforcement[]): void;
  setErrors(errors: FieldErrors): void;
  /** Back to what the server holds (after a save): typed secrets are dropped. */
  reset(settings: Settings): void;
}

/** The form's values and per-field errors; editing a field clears that field's error. */
export function useSettingsForm(initial: Settings): SettingsFormState {
  const [values, setValues] = useState<FormValues>(() => fromSettings(initial));
  const [errors, setErrors] = useState<FieldErrors>({});

  // A list's errors come per line ("clientReturnUrls.2"): editing the list clears them all.
  const clearError = useCallback((path: string) => {
    setErrors((current) => {
      const stale = Object.keys(current).filter((key) => key === path || key.startsWith(`${path}.`));
      if (stale.every((key) => current[key] === undefined)) return current;
      return { ...current, ...Object.fromEntries(stale.map((key) => [key, undefined])) };
    });
  }, []);

  const setKey = useCallback(
    (field: TextField, value: string) => {
      setValues((current) => ({ ...current, [field]: value }));
      clearError(field);
    },
    [clearError],
  );

  const setIntegration = useCallback(
    (integration: IntegrationType) => {
      setValues((current) => ({ ...current, integration }));
      clearError('integration');
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

  const setRememberDevices = useCallback(
    (audience: AudienceName, rememberDevices: boolean) => {
      setValues((current) => ({ ...current, [audience]: { ...current[audience], rememberDevices } }));
      clearError(`${audience}.rememberDevices`);
    },
    [clearError],
  );

  const setRoles = useCallback(
    (audience: AudienceName, roles: RoleEnforcement[]) => {
      setValues((current) => ({ ...current, [audience]: { ...current[audience], roles } }));
      clearError(`${audience}.roles`);
    },
    [clearError],
  );

  const reset = useCallback((settings: Settings) => {
    setValues(fromSettings(settings));
    setErrors({});
  }, []);

  return {
    values,
    errors,
    setKey,
    setIntegration,
    setEnabled,
    setChoice,
    setRememberDevices,
    setRoles,
    setErrors,
    reset,
  };
}
