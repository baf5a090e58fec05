import { Divider, Flex, Grid, Typography } from '@strapi/design-system';
import { useFetchClient } from '@strapi/strapi/admin';
import { useIntl } from 'react-intl';

import { loadRoleOptions } from '../../../shared/api/get.js';
import type { LockSource } from '../../../shared/api/types.js';
import { useAudienceGrid } from '../../../shared/hooks/useAudienceGrid.js';
import type { SettingsFormState } from '../../../shared/hooks/useSettingsForm.js';
import { getTrad } from '../../../shared/utils/getTrad.js';
import { AudienceFields } from './AudienceFields.js';
import { CheckField } from './CheckField.js';
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
  const { get } = useFetchClient();
  const roleOptions = useResource('duo-roles', () => loadRoleOptions(get));
  const { enables, audiences } = useAudienceGrid({
    form,
    lockedFields,
    lockedSources,
    readOnly,
    roleOptions: roleOptions.data,
    roleOptionsFailed: roleOptions.error !== null && roleOptions.data === undefined,
  });

  return (
    <Panel labelledBy="duo-settings-title">
      <Flex direction="column" alignItems="stretch" gap={6}>
        <Typography variant="delta" tag="h2" id="duo-settings-title">
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

        <Grid.Root gap={5}>
          {audiences.map((audience) => (
            <Grid.Item key={audience.name} col={6} s={12} direction="column" alignItems="stretch">
              <AudienceFields view={audience} />
              {audience.roles && <RoleFields {...audience.roles} />}
            </Grid.Item>
          ))}
        </Grid.Root>
      </Flex>
    </Panel>
  );
}
