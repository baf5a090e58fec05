import type { FormEvent } from 'react';

import { Button, ContentLayout, Flex, HeaderLayout, Main } from '@strapi/design-system';
import {
  AnErrorOccurred,
  LoadingIndicatorPage,
  SettingsPageTitle,
  useFocusWhenNavigate,
  useRBAC,
} from '@strapi/helper-plugin';
import { Check } from '@strapi/icons';
import { useIntl } from 'react-intl';

import type { SettingsResponse } from '../../../shared/api/types';
import { ActivationCard } from '../../components/ActivationCard';
import { ConnectionResult } from '../../components/ConnectionResult';
import { SaveErrorAlert } from '../../../shared/components/SaveErrorAlert';
import { SettingsForm } from '../../components/SettingsForm';
import { useSettings } from '../../hooks/useSettings';
import { useSettingsActions } from '../../hooks/useSettingsActions';
import { useSettingsForm } from '../../../shared/hooks/useSettingsForm';
import { PERMISSIONS } from '../../../shared/permissions';
import { isLocked } from '../../../shared/utils/formValues';
import { getTrad } from '../../../shared/utils/getTrad';

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
  useFocusWhenNavigate();
  const { isLoading: isLoadingPermissions, allowedActions } = useRBAC(UPDATE_PERMISSIONS);
  const query = useSettings();
  const title = formatMessage(TITLE);

  if (isLoadingPermissions || query.isLoading) {
    return (
      <Main aria-busy="true">
        <SettingsPageTitle name={title} />
        <HeaderLayout title={title} subtitle={formatMessage(SUBTITLE)} />
        <ContentLayout>
          <LoadingIndicatorPage />
        </ContentLayout>
      </Main>
    );
  }

  if (!query.data) {
    return (
      <Main>
        <SettingsPageTitle name={title} />
        <HeaderLayout title={title} subtitle={formatMessage(SUBTITLE)} />
        <ContentLayout>
          <AnErrorOccurred
            content={{
              id: getTrad('settings.page.loadError'),
              defaultMessage: 'The Duo Security settings could not be loaded.',
            }}
          />
        </ContentLayout>
      </Main>
    );
  }

  return <SettingsEditor data={query.data} canUpdate={allowedActions.canUpdate === true} />;
}

interface SettingsEditorProps {
  data: SettingsResponse;
  canUpdate: boolean;
}

function SettingsEditor({ data, canUpdate }: SettingsEditorProps) {
  const { formatMessage } = useIntl();
  const form = useSettingsForm(data.settings);
  const actions = useSettingsActions(data, form);
  const { activated, secretKeySet, clientSecretSet } = data.settings;
  const showForm = activated || actions.activating;
  const title = formatMessage(TITLE);

  const handleSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (canUpdate && showForm) actions.save();
  };

  return (
    <Main aria-busy={actions.isSaving}>
      <SettingsPageTitle name={title} />
      <form onSubmit={handleSubmit} noValidate>
        <HeaderLayout
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
        <ContentLayout>
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
        </ContentLayout>
      </form>
    </Main>
  );
}
