import type { ChangeEvent } from 'react';

import { Box, Checkbox, Divider, Flex, Grid, GridItem, TextInput, Typography } from '@strapi/design-system';
import { useIntl, type MessageDescriptor } from 'react-intl';

import type { SettingsFormState } from '../../shared/hooks/useSettingsForm';
import { isLocked, type KeyField } from '../../shared/utils/formValues';
import { getTrad } from '../../shared/utils/getTrad';
import { AUDIENCES } from '../../shared/utils/layout';
import { formatFieldMessage, LOCKED_HINT } from '../../shared/utils/messages';
import { AudienceFields } from './AudienceFields';

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

  const keyHint = (input: KeyInput, locked: boolean): string => {
    if (locked) return formatMessage(LOCKED_HINT);
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
      paddingLeft={7}
      paddingRight={7}
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
                hint={formatMessage(locked ? LOCKED_HINT : section.enableHint)}
                error={formatFieldMessage(formatMessage, errors[path])}
              >
                {formatMessage(section.enableLabel)}
              </Checkbox>
            );
          })}
        </Flex>

        <Divider />

        <Grid gap={5}>
          {KEY_INPUTS.map((input) => {
            const locked = isLocked(lockedFields, input.name);
            const secret = input.name === 'secretKey';
            return (
              <GridItem key={input.name} col={6} s={12}>
                <TextInput
                  name={input.name}
                  type={secret ? 'password' : 'text'}
                  autoComplete={secret ? 'new-password' : 'off'}
                  spellCheck={false}
                  label={formatMessage(input.label)}
                  hint={keyHint(input, locked)}
                  placeholder={
                    secret && secretKeySet && !readOnly ? formatMessage(locked ? LOCKED_HINT : KEEP_SECRET) : undefined
                  }
                  error={formatFieldMessage(formatMessage, errors[input.name])}
                  value={values[input.name]}
                  onChange={(event: ChangeEvent<HTMLInputElement>) => form.setKey(input.name, event.target.value)}
                  disabled={readOnly || locked}
                />
              </GridItem>
            );
          })}
        </Grid>

        <Divider />

        <Grid gap={5}>
          {AUDIENCES.map((section) => (
            <GridItem key={section.name} col={6} s={12}>
              <AudienceFields
                section={section}
                audience={values[section.name]}
                lockedFields={lockedFields}
                errors={errors}
                readOnly={readOnly}
                onChoiceChange={(name, raw) => form.setChoice(section.name, name, raw)}
              />
            </GridItem>
          ))}
        </Grid>
      </Flex>
    </Box>
  );
}
