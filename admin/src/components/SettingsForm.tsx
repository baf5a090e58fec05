import { Box, Checkbox, Divider, Flex, Typography } from '@strapi/design-system';
import { useIntl } from 'react-intl';
import { useQuery, useQueryClient } from 'react-query';
import { useFetchClient } from '@strapi/helper-plugin';

import { ROLES_PATH, type Envelope, type RolesResponse, type SettingsResponse } from '../../shared/api/types';
import type { SettingsFormState } from '../../shared/hooks/useSettingsForm';
import { isLocked } from '../../shared/utils/formValues';
import { getTrad } from '../../shared/utils/getTrad';
import { AUDIENCES } from '../../shared/utils/layout';
import { lockedHint } from '../../shared/utils/lockedHint';
import { formatFieldMessage } from '../../shared/utils/messages';
import { SETTINGS_QUERY_KEY } from '../hooks/useSettings';
import { AudienceFields } from './AudienceFields';
import { IntegrationFields } from './IntegrationFields';
import { FieldRow } from './FieldRow';
import { RoleFields } from './RoleFields';

export interface SettingsFormProps {
  form: SettingsFormState;
  lockedFields: readonly string[];
  secretKeySet: boolean;
  clientSecretSet: boolean;
  readOnly: boolean;
}

/** Who uses Duo, the Duo application (either type), and the per-audience choices. */
export function SettingsForm({ form, lockedFields, secretKeySet, clientSecretSet, readOnly }: SettingsFormProps) {
  const { formatMessage } = useIntl();
  const { values, errors } = form;
  const { get } = useFetchClient();
  const roleOptions = useQuery(
    [SETTINGS_QUERY_KEY[0], 'roles'],
    async (): Promise<RolesResponse> => (await get<Envelope<RolesResponse>>(ROLES_PATH)).data.data,
    { refetchOnWindowFocus: false },
  );
  // Where locked values are set, from the page's own settings query (read from the cache: no request). The page
  // re-renders this form whenever that query's data changes.
  const lockedSources = useQueryClient().getQueryData<SettingsResponse>(SETTINGS_QUERY_KEY)?.lockedSources;
  const lockedText = (path: string): string => {
    const hint = lockedHint(lockedSources, path);
    return formatMessage(hint.message, hint.values);
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

        <IntegrationFields
          form={form}
          lockedFields={lockedFields}
          lockedSources={lockedSources}
          secretKeySet={secretKeySet}
          clientSecretSet={clientSecretSet}
          readOnly={readOnly}
        />

        <Divider />

        <FieldRow>
          {AUDIENCES.map((section) => (
            <Box key={section.name}>
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
                  loadFailed={roleOptions.isError}
                  roles={values[section.name].roles ?? []}
                  disabled={readOnly || isLocked(lockedFields, `${section.name}.roles`)}
                  error={formatFieldMessage(formatMessage, errors[`${section.name}.roles`])}
                  onChange={(roles) => form.setRoles(section.name, roles)}
                />
              )}
            </Box>
          ))}
        </FieldRow>
      </Flex>
    </Box>
  );
}
