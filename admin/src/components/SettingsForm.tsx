import type { ChangeEvent } from 'react';

import { Box, Checkbox, Divider, Flex, TextInput, Typography } from '@strapi/design-system';
import { useIntl, type MessageDescriptor } from 'react-intl';
import { useQueryClient } from 'react-query';

import type { SettingsResponse } from '../../shared/api/types';
import type { SettingsFormState } from '../../shared/hooks/useSettingsForm';
import { isLocked, type KeyField } from '../../shared/utils/formValues';
import { getTrad } from '../../shared/utils/getTrad';
import { AUDIENCES } from '../../shared/utils/layout';
import { lockedHint } from '../../shared/utils/lockedHint';
import { formatFieldMessage } from '../../shared/utils/messages';
import { SETTINGS_QUERY_KEY } from '../hooks/useSettings';
import { AudienceFields } from './AudienceFields';
import { FieldRow } from './FieldRow';

export interface SettingsFormProps {
  form: SettingsFormState;
  lockedFields: readonly string[];
  secretKeySet: boolean;
  readOnly: boolean;
}

interface KeyInput {
  name: KeyField;
  label: MessageDescriptor;
  hint: MessageDescriptor;
}

const KEY_INPUTS: readonly KeyInput[] = [
  {
    name: 'integrationKey',
    label: { id: getTrad('settings.form.integrationKey.label'), defaultMessage: 'Integration Key' },
    hint: { id: getTrad('settings.form.integrationKey.hint'), defaultMessage: '20 characters, starting with DI.' },
  },
  {
    name: 'secretKey',
    label: { id: getTrad('settings.form.secretKey.label'), defaultMessage: 'Secret Key' },
    hint: {
      id: getTrad('settings.form.secretKey.hint'),
      defaultMessage: '40 characters. Stored encrypted and never shown again.',
    },
  },
  {
    name: 'apiHostname',
    label: { id: getTrad('settings.form.apiHostname.label'), defaultMessage: 'API Hostname' },
    hint: { id: getTrad('settings.form.apiHostname.hint'), defaultMessage: 'Like api-XXXXXXXX.duosecurity.com.' },
  },
];

const KEEP_SECRET = {
  id: getTrad('settings.form.secretKey.keep'),
  defaultMessage: 'Leave blank to keep the current key',
};

const SECRET_STORED_HINT = {
  id: getTrad('settings.form.secretKey.stored.hint'),
  defaultMessage: 'A Secret Key is stored (encrypted, never shown).',
};

const KEEP_SECRET_HINT = {
  id: getTrad('settings.form.secretKey.keep.hint'),
  defaultMessage: 'A Secret Key is stored (encrypted, never shown). Leave blank to keep the current key.',
};

/** Who uses Duo, the Auth API application's keys, and the per-audience choices. */
export function SettingsForm({ form, lockedFields, secretKeySet, readOnly }: SettingsFormProps) {
  const { formatMessage } = useIntl();
  const { values, errors } = form;
  // Where locked values are set, from the page's own settings query (read from the cache: no request). The page
  // re-renders this form whenever that query's data changes.
  const lockedSources = useQueryClient().getQueryData<SettingsResponse>(SETTINGS_QUERY_KEY)?.lockedSources;
  const lockedText = (path: string): string => {
    const hint = lockedHint(lockedSources, path);
    return formatMessage(hint.message, hint.values);
  };

  const keyHint = (input: KeyInput, locked: boolean): string => {
    if (locked) return lockedText(input.name);
    if (input.name === 'secretKey' && secretKeySet) {
      return formatMessage(readOnly ? SECRET_STORED_HINT : KEEP_SECRET_HINT);
    }
    return formatMessage(input.hint);
  };

  return (
    <Box
      as="section"
      aria-labelledby="duo-settings-title"
      background="neutral0"
      hasRadius
      shadow="filterShadow"
      paddingTop={6}
      paddingBottom={6}
      paddingLeft={5}
      paddingRight={5}
    >
      <Flex direction="column" alignItems="stretch" gap={6}>
        <Typography variant="delta" as="h2" id="duo-settings-title">
          {formatMessage({ id: getTrad('settings.form.title'), defaultMessage: 'Settings' })}
        </Typography>

        <Flex direction="column" alignItems="stretch" gap={3}>
          {AUDIENCES.map((section) => {
            const path = `${section.name}.enabled`;
            const locked = isLocked(lockedFields, path);
            return (
              <Checkbox
                key={section.name}
                name={path}
                value={values[section.name].enabled}
                onValueChange={(checked) => form.setEnabled(section.name, checked)}
                disabled={readOnly || locked}
                hint={locked ? lockedText(path) : formatMessage(section.enableHint)}
                error={formatFieldMessage(formatMessage, errors[path])}
              >
                {formatMessage(section.enableLabel)}
              </Checkbox>
            );
          })}
        </Flex>

        <Divider />

        <FieldRow>
          {KEY_INPUTS.map((input) => {
            const locked = isLocked(lockedFields, input.name);
            const secret = input.name === 'secretKey';
            return (
              <TextInput
                key={input.name}
                name={input.name}
                type={secret ? 'password' : 'text'}
                autoComplete={secret ? 'new-password' : 'off'}
                spellCheck={false}
                label={formatMessage(input.label)}
                hint={keyHint(input, locked)}
                placeholder={
                  secret && secretKeySet && !readOnly
                    ? locked
                      ? lockedText(input.name)
                      : formatMessage(KEEP_SECRET)
                    : undefined
                }
                error={formatFieldMessage(formatMessage, errors[input.name])}
                value={values[input.name]}
                onChange={(event: ChangeEvent<HTMLInputElement>) => form.setKey(input.name, event.target.value)}
                disabled={readOnly || locked}
              />
            );
          })}
        </FieldRow>

        <Divider />

        <FieldRow>
          {AUDIENCES.map((section) => (
            <AudienceFields
              key={section.name}
              section={section}
              audience={values[section.name]}
              lockedFields={lockedFields}
              lockedSources={lockedSources}
              errors={errors}
              readOnly={readOnly}
              onChoiceChange={(name, raw) => form.setChoice(section.name, name, raw)}
            />
          ))}
        </FieldRow>
      </Flex>
    </Box>
  );
}
