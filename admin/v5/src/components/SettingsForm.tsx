import type { ChangeEvent } from 'react';

import { Checkbox, Divider, Field, Flex, Grid, TextInput, Typography } from '@strapi/design-system';
import { useIntl, type MessageDescriptor } from 'react-intl';

import type { LockSource } from '../../../shared/api/types.js';
import type { SettingsFormState } from '../../../shared/hooks/useSettingsForm.js';
import { isLocked, type KeyField } from '../../../shared/utils/formValues.js';
import { getTrad } from '../../../shared/utils/getTrad.js';
import { AUDIENCES } from '../../../shared/utils/layout.js';
import { lockedHint } from '../../../shared/utils/lockedHint.js';
import { formatFieldMessage } from '../../../shared/utils/messages.js';
import { AudienceFields } from './AudienceFields.js';
import { Panel } from './Panel.js';

export interface SettingsFormProps {
  form: SettingsFormState;
  lockedFields: readonly string[];
  /** Where each locked field is set (the settings API's `lockedSources`). */
  lockedSources?: Readonly<Record<string, LockSource>> | undefined;
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

/** Who uses Duo, the Auth API application's keys, and the per-audience choices (Strapi 5 design system). */
export function SettingsForm({ form, lockedFields, lockedSources, secretKeySet, readOnly }: SettingsFormProps) {
  const { formatMessage } = useIntl();
  const { values, errors } = form;
  // "Set in config/plugins.js" or "Set by DUO_…": where the value really comes from.
  const lockedText = (path: string): string => {
    const hint = lockedHint(lockedSources, path);
    return formatMessage(hint.message, hint.values);
  };

  const keyHint = (input: KeyInput, isLockedField: boolean): string => {
    if (isLockedField) return lockedText(input.name);
    if (input.name === 'secretKey' && secretKeySet) {
      return formatMessage(readOnly ? SECRET_STORED_HINT : KEEP_SECRET_HINT);
    }
    return formatMessage(input.hint);
  };

  return (
    <Panel labelledBy="duo-settings-title">
      <Flex direction="column" alignItems="stretch" gap={6}>
        <Typography variant="delta" tag="h2" id="duo-settings-title">
          {formatMessage({ id: getTrad('settings.form.title'), defaultMessage: 'Settings' })}
        </Typography>

        <Flex direction="column" alignItems="stretch" gap={3}>
          {AUDIENCES.map((section) => {
            const path = `${section.name}.enabled`;
            const locked = isLocked(lockedFields, path);
            return (
              <Field.Root
                key={section.name}
                name={path}
                hint={locked ? lockedText(path) : formatMessage(section.enableHint)}
                error={formatFieldMessage(formatMessage, errors[path])}
              >
                {/* Design system 2's Checkbox is Radix's: the label is its children, the state `checked`. */}
                <Checkbox
                  name={path}
                  checked={values[section.name].enabled}
                  onCheckedChange={(checked) => form.setEnabled(section.name, checked === true)}
                  disabled={readOnly || locked}
                >
                  {formatMessage(section.enableLabel)}
                </Checkbox>
                <Field.Hint />
                <Field.Error />
              </Field.Root>
            );
          })}
        </Flex>

        <Divider />

        <Grid.Root gap={5}>
          {KEY_INPUTS.map((input) => {
            const locked = isLocked(lockedFields, input.name);
            const secret = input.name === 'secretKey';
            return (
              // s={12}: one column on narrow screens (800 px with the admin's menus leaves ~500 px for the form).
              <Grid.Item key={input.name} col={6} s={12} direction="column" alignItems="stretch">
                <Field.Root
                  name={input.name}
                  hint={keyHint(input, locked)}
                  error={formatFieldMessage(formatMessage, errors[input.name])}
                >
                  <Field.Label>{formatMessage(input.label)}</Field.Label>
                  <TextInput
                    name={input.name}
                    type={secret ? 'password' : 'text'}
                    autoComplete={secret ? 'new-password' : 'off'}
                    spellCheck={false}
                    placeholder={
                      secret && secretKeySet && !readOnly
                        ? locked
                          ? lockedText(input.name)
                          : formatMessage(KEEP_SECRET)
                        : undefined
                    }
                    value={values[input.name]}
                    onChange={(event: ChangeEvent<HTMLInputElement>) => form.setKey(input.name, event.target.value)}
                    disabled={readOnly || locked}
                  />
                  <Field.Hint />
                  <Field.Error />
                </Field.Root>
              </Grid.Item>
            );
          })}
        </Grid.Root>

        <Divider />

        <Grid.Root gap={5}>
          {AUDIENCES.map((section) => (
            <Grid.Item key={section.name} col={6} s={12} direction="column" alignItems="stretch">
              <AudienceFields
                section={section}
                audience={values[section.name]}
                lockedFields={lockedFields}
                lockedSources={lockedSources}
                errors={errors}
                readOnly={readOnly}
                onChoiceChange={(name, raw) => form.setChoice(section.name, name, raw)}
              />
            </Grid.Item>
          ))}
        </Grid.Root>
      </Flex>
    </Panel>
  );
}
