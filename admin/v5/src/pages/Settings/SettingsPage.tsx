import type { FormEvent } from 'react';

import { Button, Flex } from '@strapi/design-system';
import { Check } from '@strapi/icons';
import { Layouts, Page, useFetchClient, useRBAC } from '@strapi/strapi/admin';
import { useIntl } from 'react-intl';

import { SETTINGS_PATH, type Envelope, type SettingsResponse } from '../../../../shared/api/types.js';
import { useSettingsForm } from '../../../../shared/hooks/useSettingsForm.js';
import { PERMISSIONS } from '../../../../shared/permissions.js';
import { isLocked } from '../../../../shared/utils/formValues.js';
import { getTrad } from '../../../../shared/utils/getTrad.js';
import { ActivationCard } from '../../components/ActivationCard.js';
import { ConnectionResult } from '../../components/ConnectionResult.js';
import { SaveErrorAlert } from '../../../../shared/components/SaveErrorAlert.js';
import { SettingsForm } from '../../components/SettingsForm.js';
import { useResource } from '../../hooks/useResource.js';
import { useSettingsActions } from '../../hooks/useSettingsActions.js';

// Module level: useRBAC keys its queries on this object.
const UPDATE_PERMISSIONS = { update: PERMISSIONS.update };

const TITLE = { id: getTrad('settings.page.title'), defaultMessage: 'Duo Security' };
const SUBTITLE = {
  id: getTrad('settings.page.subtitle'),
  defaultMessage: 'Two-factor authentication with Duo for staff and clients.',
};
const READ_ONLY_SUBTITLE = {
  id: getTrad('settings.page.readOnly'),
  defaultMessage: 'Read-only: changing these settings needs the Duo Security settings “Update” permission.',
};

/** Loads the settings and the user's update permission, then hands over to the editor. */
export function SettingsPage() {
  const { formatMessage } = useIntl();
  const { get } = useFetchClient();
  const { isLoading: isLoadingPermissions, allowedActions } = useRBAC(UPDATE_PERMISSIONS);
  const settings = useResource('settings', async () => {
    const { data } = await get<Envelope<SettingsResponse>>(SETTINGS_PATH);
    return data.data;
  });
  const title = formatMessage(TITLE);

  if (isLoadingPermissions || (settings.isLoading && settings.data === undefined)) {
    return <Page.Loading />;
  }
  if (settings.data === undefined) {
    return (
      <Page.Main>
        <Page.Title>{title}</Page.Title>
        <Layouts.Header title={title} subtitle={formatMessage(SUBTITLE)} />
        <Layouts.Content>
          <Page.Error
            content={formatMessage({
              id: getTrad('settings.page.loadError'),
              defaultMessage: 'The Duo Security settings could not be loaded.',
            })}
          />
        </Layouts.Content>
      </Page.Main>
    );
  }
  return (
    <SettingsEditor data={settings.data} canUpdate={allowedActions.canUpdate === true} onSaved={settings.setData} />
  );
}

interface SettingsEditorProps {
  data: SettingsResponse;
  canUpdate: boolean;
  onSaved(saved: SettingsResponse): void;
}

function SettingsEditor({ data, canUpdate, onSaved }: SettingsEditorProps) {
  const { formatMessage } = useIntl();
  const form = useSettingsForm(data.settings);
  const actions = useSettingsActions(data, form, onSaved);
  const { activated, secretKeySet, clientSecretSet } = data.settings;
  const showForm = activated || actions.activating;
  const title = formatMessage(TITLE);

  const handleSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (canUpdate && showForm) actions.save();
  };

  return (
    <Page.Main aria-busy={actions.isSaving}>
      <Page.Title>{title}</Page.Title>
      <form onSubmit={handleSubmit} noValidate>
        <Layouts.Header
          title={title}
          subtitle={formatMessage(canUpdate ? SUBTITLE : READ_ONLY_SUBTITLE)}
          primaryAction={
            canUpdate && showForm ? (
              <Button type="submit" startIcon={<Check />} loading={actions.isSaving && !actions.isDeactivating}>
                {formatMessage({ id: getTrad('settings.save'), defaultMessage: 'Save Changes' })}
              </Button>
            ) : undefined
          }
        />
        <Layouts.Content>
          <Flex direction="column" alignItems="stretch" gap={6} paddingBottom={10}>
            <ActivationCard
              activated={activated}
              activating={actions.activating}
              canUpdate={canUpdate}
              activationLocked={isLocked(data.lockedFields, 'activated')}
              isDeactivating={actions.isDeactivating}
              onActivate={actions.startActivation}
              onCancelActivation={actions.cancelActivation}
              onDeactivate={actions.deactivate}
            />
            {actions.saveFailure ? (
              <SaveErrorAlert error={actions.saveFailure.error} onClose={actions.dismissSaveFailure} />
            ) : null}
            {showForm ? (
              <>
                <SettingsForm
                  form={form}
                  lockedFields={data.lockedFields}
                  lockedSources={data.lockedSources}
                  secretKeySet={secretKeySet}
                  clientSecretSet={clientSecretSet === true}
                  readOnly={!canUpdate}
                />
                <ConnectionResult
                  result={actions.connection}
                  canCheck={canUpdate}
                  isChecking={actions.isChecking}
                  onCheck={actions.testConnection}
                  integration={form.values.integration}
                />
              </>
            ) : null}
          </Flex>
        </Layouts.Content>
      </form>
    </Page.Main>
  );
}
