import { Box, Divider, Flex, Typography } from '@strapi/design-system';
import { useIntl } from 'react-intl';
import { useQuery, useQueryClient } from 'react-query';
import { useFetchClient } from '@strapi/helper-plugin';

import { loadRoleOptions } from '../../shared/api/get';
import type { SettingsResponse } from '../../shared/api/types';
import { useAudienceGrid } from '../../shared/hooks/useAudienceGrid';
import type { SettingsFormState } from '../../shared/hooks/useSettingsForm';
import { getTrad } from '../../shared/utils/getTrad';
import { SETTINGS_QUERY_KEY } from '../hooks/useSettings';
import { AudienceFields } from './AudienceFields';
import { CheckField } from './CheckField';
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
  const { get } = useFetchClient();
  const roleOptions = useQuery([SETTINGS_QUERY_KEY[0], 'roles'], () => loadRoleOptions(get), {
    refetchOnWindowFocus: false,
  });
  // Where locked values are set, from the page's own settings query (read from the cache: no request). The page
  // re-renders this form whenever that query's data changes.
  const lockedSources = useQueryClient().getQueryData<SettingsResponse>(SETTINGS_QUERY_KEY)?.lockedSources;
  const { enables, audiences } = useAudienceGrid({
    form,
    lockedFields,
    lockedSources,
    readOnly,
    roleOptions: roleOptions.data,
    roleOptionsFailed: roleOptions.isError,
  });

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
          {enables.map((enable) => (
            <CheckField key={enable.name} check={enable} />
          ))}
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
          {audiences.map((audience) => (
            <Box key={audience.name}>
              <AudienceFields view={audience} />
              {audience.roles && <RoleFields {...audience.roles} />}
            </Box>
          ))}
        </FieldRow>
      </Flex>
    </Box>
  );
}
