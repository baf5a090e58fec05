import { Checkbox, Divider, Field, Flex, Grid, Typography } from '@strapi/design-system';
import { useFetchClient } from '@strapi/strapi/admin';
import { useIntl } from 'react-intl';

import { ROLES_PATH, type Envelope, type LockSource, type RolesResponse } from '../../../shared/api/types.js';
import type { SettingsFormState } from '../../../shared/hooks/useSettingsForm.js';
import { isLocked } from '../../../shared/utils/formValues.js';
import { getTrad } from '../../../shared/utils/getTrad.js';
import { AUDIENCES } from '../../../shared/utils/layout.js';
import { lockedHint } from '../../../shared/utils/lockedHint.js';
import { formatFieldMessage } from '../../../shared/utils/messages.js';
import { AudienceFields } from './AudienceFields.js';
import { IntegrationFields } from './IntegrationFields.js';
import { Panel } from './Panel.js';
import { RoleFields } from './RoleFields.js';
import { useResource } from '../hooks/useResource.js';

export interface SettingsFormProps {
  form: SettingsFormState;
  lockedFields: readonly string[];
  /** Where each locked field is set (the settings API's `lockedSources`). */
  lockedSources?: Readonly<Record<string, LockSource>> | undefined;
  secretKeySet: boolean;
  clientSecretSet: boolean;
  readOnly: boolean;
}

/** Who uses Duo, the Duo application (either type), and the per-audience choices (Strapi 5 design system). */
export function SettingsForm({
  form,
  lockedFields,
  lockedSources,
  secretKeySet,
  clientSecretSet,
  readOnly,
}: SettingsFormProps) {
  const { formatMessage } = useIntl();
  const { values, errors } = form;
  const { get } = useFetchClient();
  const roleOptions = useResource('duo-roles', async () => {
    const { data } = await get<Envelope<RolesResponse>>(ROLES_PATH);
    return data.data;
  });
  // "Set in config/plugins.js" or "Set by DUO_…": where the value really comes from.
  const lockedText = (path: string): string => {
    const hint = lockedHint(lockedSources, path);
    return formatMessage(hint.message, hint.values);
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

        <IntegrationFields
          form={form}
          lockedFields={lockedFields}
          lockedSources={lockedSources}
          secretKeySet={secretKeySet}
          clientSecretSet={clientSecretSet}
          readOnly={readOnly}
        />

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
                onRememberDevicesChange={(remember) => form.setRememberDevices(section.name, remember)}
              />
              {values[section.name].roles !== undefined && (
                <RoleFields
                  audience={section.name}
                  options={roleOptions.data?.[section.name]}
                  loadFailed={roleOptions.error !== null && roleOptions.data === undefined}
                  roles={values[section.name].roles ?? []}
                  disabled={readOnly || isLocked(lockedFields, `${section.name}.roles`)}
                  error={formatFieldMessage(formatMessage, errors[`${section.name}.roles`])}
                  onChange={(roles) => form.setRoles(section.name, roles)}
                />
              )}
            </Grid.Item>
          ))}
        </Grid.Root>
      </Flex>
    </Panel>
  );
}
