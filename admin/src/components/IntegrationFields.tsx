import type { ChangeEvent } from 'react';

import { Box, SingleSelect, SingleSelectOption, Textarea, TextInput } from '@strapi/design-system';
import { useIntl } from 'react-intl';

import type { IntegrationType, LockSource } from '../../shared/api/types';
import type { SettingsFormState } from '../../shared/hooks/useSettingsForm';
import { isLocked, keyFieldsFor } from '../../shared/utils/formValues';
import {
  INTEGRATION_LABEL,
  INTEGRATION_OPTIONS,
  isSecretField,
  KEY_INPUTS,
  keyHint,
  keyPlaceholder,
  RETURN_URLS_INPUT,
} from '../../shared/utils/integration';
import { lockedHint, type LockedHint } from '../../shared/utils/lockedHint';
import { formatFieldMessage } from '../../shared/utils/messages';
import { returnUrlsError } from '../../shared/utils/schema';
import { FieldRow } from './FieldRow';

export interface IntegrationFieldsProps {
  form: SettingsFormState;
  lockedFields: readonly string[];
  lockedSources?: Readonly<Record<string, LockSource>> | undefined;
  secretKeySet: boolean;
  clientSecretSet: boolean;
  readOnly: boolean;
}

/** The integration type, its Duo application's values (secrets write-only) and, for the Universal Prompt, the client return URLs. */
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
    <>
      {/* Half the row, like the fields below, with room beside it. */}
      <FieldRow>
        <SingleSelect
          name="integration"
          label={formatMessage(INTEGRATION_LABEL)}
          hint={text(typeLocked ? lockedHint(lockedSources, 'integration') : chosen && { message: chosen.hint })}
          error={formatFieldMessage(formatMessage, errors.integration)}
          value={values.integration}
          disabled={readOnly || typeLocked}
          onChange={(raw) => form.setIntegration(raw as IntegrationType)}
        >
          {INTEGRATION_OPTIONS.map((option) => (
            <SingleSelectOption key={option.value} value={option.value}>
              {formatMessage(option.label)}
            </SingleSelectOption>
          ))}
        </SingleSelect>
        <Box />
      </FieldRow>
      <FieldRow>
        {keyFieldsFor(values.integration).map((field) => {
          const secret = isSecretField(field);
          const state = {
            locked: isLocked(lockedFields, field),
            secretSet: field === 'clientSecret' ? clientSecretSet : secretKeySet,
            readOnly,
            lockedSources,
          };
          return (
            <TextInput
              key={field}
              name={field}
              type={secret ? 'password' : 'text'}
              autoComplete={secret ? 'new-password' : 'off'}
              spellCheck={false}
              label={formatMessage(KEY_INPUTS[field].label)}
              hint={text(keyHint(field, state))}
              placeholder={text(keyPlaceholder(field, state))}
              error={formatFieldMessage(formatMessage, errors[field])}
              value={values[field]}
              onChange={(event: ChangeEvent<HTMLInputElement>) => form.setKey(field, event.target.value)}
              disabled={readOnly || state.locked}
            />
          );
        })}
      </FieldRow>
      {values.integration === 'universal' ? (
        <Textarea
          name="clientReturnUrls"
          label={formatMessage(RETURN_URLS_INPUT.label)}
          hint={text(urlsLocked ? lockedHint(lockedSources, 'clientReturnUrls') : { message: RETURN_URLS_INPUT.hint })}
          error={formatFieldMessage(formatMessage, returnUrlsError(errors))}
          value={values.clientReturnUrls}
          spellCheck={false}
          disabled={readOnly || urlsLocked}
          onChange={(event: ChangeEvent<HTMLTextAreaElement>) => form.setKey('clientReturnUrls', event.target.value)}
        />
      ) : null}
    </>
  );
}
