import { useIntl } from 'react-intl';

import type { IntegrationType, LockSource } from '../api/types.ts';
import { isLocked, keyFieldsFor, type KeyField } from '../utils/formValues.ts';
import {
  INTEGRATION_LABEL,
  INTEGRATION_OPTIONS,
  isSecretField,
  KEY_INPUTS,
  keyHint,
  keyPlaceholder,
  RETURN_URLS_INPUT,
} from '../utils/integration.ts';
import { lockedHint, type LockedHint } from '../utils/lockedHint.ts';
import { formatFieldMessage } from '../utils/messages.ts';
import { returnUrlsError } from '../utils/schema.ts';
import type { SettingsFormState } from './useSettingsForm.ts';

export interface IntegrationFieldsProps {
  form: SettingsFormState;
  lockedFields: readonly string[];
  lockedSources?: Readonly<Record<string, LockSource>> | undefined;
  secretKeySet: boolean;
  clientSecretSet: boolean;
  readOnly: boolean;
}

/** What one field shows, in words already translated: each admin lays it out with its own design system. */
interface FieldView<V> {
  name: string;
  label: string;
  hint: string | undefined;
  error: string | undefined;
  value: V;
  disabled: boolean;
}

export interface KeyFieldView extends FieldView<string> {
  name: KeyField;
  /** A write-only secret: a password input the browser must not fill in. */
  secret: boolean;
  placeholder: string | undefined;
  onChange: (value: string) => void;
}

export interface IntegrationFieldsView {
  type: FieldView<IntegrationType> & {
    options: ReadonlyArray<{ value: IntegrationType; label: string }>;
    onChange: (raw: string | number) => void;
  };
  keys: readonly KeyFieldView[];
  /** Only for the Universal Prompt. */
  returnUrls: (FieldView<string> & { onChange: (value: string) => void }) | undefined;
}

/**
 * The Duo application part of the settings form (integration type, the type's key fields with write-only secrets,
 * the client return URLs), worked out once for both admins: labels, hints (where a locked value is set, that a secret
 * is stored), errors, disabled states and the changes they make to the form.
 */
export function useIntegrationFields({
  form,
  lockedFields,
  lockedSources,
  secretKeySet,
  clientSecretSet,
  readOnly,
}: IntegrationFieldsProps): IntegrationFieldsView {
  const { formatMessage } = useIntl();
  const { values, errors } = form;
  const text = (hint: LockedHint | undefined) => (hint ? formatMessage(hint.message, hint.values) : undefined);
  const typeLocked = isLocked(lockedFields, 'integration');
  const chosen = INTEGRATION_OPTIONS.find((option) => option.value === values.integration);
  const urlsLocked = isLocked(lockedFields, 'clientReturnUrls');

  return {
    type: {
      name: 'integration',
      label: formatMessage(INTEGRATION_LABEL),
      hint: text(typeLocked ? lockedHint(lockedSources, 'integration') : chosen && { message: chosen.hint }),
      error: formatFieldMessage(formatMessage, errors.integration),
      value: values.integration,
      disabled: readOnly || typeLocked,
      options: INTEGRATION_OPTIONS.map((option) => ({ value: option.value, label: formatMessage(option.label) })),
      onChange: (raw) => form.setIntegration(raw as IntegrationType),
    },
    keys: keyFieldsFor(values.integration).map((field) => {
      const state = {
        locked: isLocked(lockedFields, field),
        secretSet: field === 'clientSecret' ? clientSecretSet : secretKeySet,
        readOnly,
        lockedSources,
      };
      return {
        name: field,
        label: formatMessage(KEY_INPUTS[field].label),
        hint: text(keyHint(field, state)),
        error: formatFieldMessage(formatMessage, errors[field]),
        value: values[field],
        disabled: readOnly || state.locked,
        secret: isSecretField(field),
        placeholder: text(keyPlaceholder(field, state)),
        onChange: (value) => form.setKey(field, value),
      };
    }),
    returnUrls:
      values.integration === 'universal'
        ? {
            name: 'clientReturnUrls',
            label: formatMessage(RETURN_URLS_INPUT.label),
            hint: text(
              urlsLocked ? lockedHint(lockedSources, 'clientReturnUrls') : { message: RETURN_URLS_INPUT.hint },
            ),
            error: formatFieldMessage(formatMessage, returnUrlsError(errors)),
            value: values.clientReturnUrls,
            disabled: readOnly || urlsLocked,
            onChange: (value) => form.setKey('clientReturnUrls', value),
          }
        : undefined,
  };
}
