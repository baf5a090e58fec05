import type { ChangeEvent } from 'react';

import { Field, Grid, SingleSelect, SingleSelectOption, Textarea, TextInput } from '@strapi/design-system';
import { useIntl } from 'react-intl';

import type { IntegrationType, LockSource } from '../../../shared/api/types.js';
import type { SettingsFormState } from '../../../shared/hooks/useSettingsForm.js';
import { isLocked, keyFieldsFor } from '../../../shared/utils/formValues.js';
import {
  INTEGRATION_LABEL,
  INTEGRATION_OPTIONS,
  isSecretField,
  KEY_INPUTS,
  keyHint,
  keyPlaceholder,
  RETURN_URLS_INPUT,
} from '../../../shared/utils/integration.js';
import { lockedHint, type LockedHint } from '../../../shared/utils/lockedHint.js';
import { formatFieldMessage } from '../../../shared/utils/messages.js';
import { returnUrlsError } from '../../../shared/utils/schema.js';

export interface IntegrationFieldsProps {
  form: SettingsFormState;
  lockedFields: readonly string[];
  lockedSources?: Readonly<Record<string, LockSource>> | undefined;
  secretKeySet: boolean;
  clientSecretSet: boolean;
  readOnly: boolean;
}

/**
 * The integration type, its Duo application's values (secrets write-only) and, for the Universal Prompt, the client
 * return URLs (Strapi 5 design system).
 */
export function IntegrationFields({
  form,
  lockedFields,
  lockedSources,
  secretKeySet,
  clientSecretSet,
  readOnly,
}: IntegrationFieldsProps) {
  const { formatMessage } = useIntl();
  const { values, errors } = form;
  const text = (hint: LockedHint | undefined) => (hint ? formatMessage(hint.message, hint.values) : undefined);
  const typeLocked = isLocked(lockedFields, 'integration');
  const chosen = INTEGRATION_OPTIONS.find((option) => option.value === values.integration);
  const urlsLocked = isLocked(lockedFields, 'clientReturnUrls');

  return (
    <Grid.Root gap={5}>
      {/* s={12}: one column on narrow screens (800 px with the admin's menus leaves ~500 px for the form). */}
      <Grid.Item col={6} s={12} direction="column" alignItems="stretch">
        <Field.Root
          name="integration"
          hint={text(typeLocked ? lockedHint(lockedSources, 'integration') : chosen && { message: chosen.hint })}
          error={formatFieldMessage(formatMessage, errors.integration)}
        >
          <Field.Label>{formatMessage(INTEGRATION_LABEL)}</Field.Label>
          <SingleSelect
            name="integration"
            value={values.integration}
            disabled={readOnly || typeLocked}
            onChange={(raw: string | number) => form.setIntegration(raw as IntegrationType)}
          >
            {INTEGRATION_OPTIONS.map((option) => (
              <SingleSelectOption key={option.value} value={option.value}>
                {formatMessage(option.label)}
              </SingleSelectOption>
            ))}
          </SingleSelect>
          <Field.Hint />
          <Field.Error />
        </Field.Root>
      </Grid.Item>
      <Grid.Item col={6} s={12} />
      {keyFieldsFor(values.integration).map((field) => {
        const secret = isSecretField(field);
        const state = {
          locked: isLocked(lockedFields, field),
          secretSet: field === 'clientSecret' ? clientSecretSet : secretKeySet,
          readOnly,
          lockedSources,
        };
        return (
          <Grid.Item key={field} col={6} s={12} direction="column" alignItems="stretch">
            <Field.Root
              name={field}
              hint={text(keyHint(field, state))}
              error={formatFieldMessage(formatMessage, errors[field])}
            >
              <Field.Label>{formatMessage(KEY_INPUTS[field].label)}</Field.Label>
              <TextInput
                name={field}
                type={secret ? 'password' : 'text'}
                autoComplete={secret ? 'new-password' : 'off'}
                spellCheck={false}
                placeholder={text(keyPlaceholder(field, state))}
                value={values[field]}
                onChange={(event: ChangeEvent<HTMLInputElement>) => form.setKey(field, event.target.value)}
                disabled={readOnly || state.locked}
              />
              <Field.Hint />
              <Field.Error />
            </Field.Root>
          </Grid.Item>
        );
      })}
      {values.integration === 'universal' ? (
        <Grid.Item col={12} direction="column" alignItems="stretch">
          <Field.Root
            name="clientReturnUrls"
            hint={text(
              urlsLocked ? lockedHint(lockedSources, 'clientReturnUrls') : { message: RETURN_URLS_INPUT.hint },
            )}
            error={formatFieldMessage(formatMessage, returnUrlsError(errors))}
          >
            <Field.Label>{formatMessage(RETURN_URLS_INPUT.label)}</Field.Label>
            <Textarea
              name="clientReturnUrls"
              value={values.clientReturnUrls}
              spellCheck={false}
              disabled={readOnly || urlsLocked}
              onChange={(event: ChangeEvent<HTMLTextAreaElement>) =>
                form.setKey('clientReturnUrls', event.target.value)
              }
            />
            <Field.Hint />
            <Field.Error />
          </Field.Root>
        </Grid.Item>
      ) : null}
    </Grid.Root>
  );
}
