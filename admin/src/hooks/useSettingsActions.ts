import { useState } from 'react';

import { useNotification, useOverlayBlocker } from '@strapi/helper-plugin';
import type { MessageDescriptor } from 'react-intl';

import { fieldErrorsOf, readApiError } from '../../shared/api/errors';
import type { ApiErrorBody, ConnectionResult, SettingsResponse, SettingsUpdate } from '../../shared/api/types';
import { toCheckRequest, toUpdate } from '../../shared/utils/formValues';
import { getTrad } from '../../shared/utils/getTrad';
import { hasErrors, validateKeys } from '../../shared/utils/schema';
import { useCheckConnection, useSaveSettings } from './useSettings';
import type { SettingsFormState } from '../../shared/hooks/useSettingsForm';

const MESSAGES = {
  saved: { id: getTrad('settings.notification.saved'), defaultMessage: 'Settings saved' },
  activated: { id: getTrad('settings.notification.activated'), defaultMessage: 'Duo Security is activated' },
  deactivated: { id: getTrad('settings.notification.deactivated'), defaultMessage: 'Duo Security is deactivated' },
  invalid: {
    id: getTrad('settings.notification.invalid'),
    defaultMessage: 'Some values need fixing; nothing was saved.',
  },
  saveFailed: { id: getTrad('settings.notification.saveFailed'), defaultMessage: 'Nothing was saved.' },
  checkOk: { id: getTrad('settings.notification.checkOk'), defaultMessage: 'Duo accepted the keys' },
  checkFailed: { id: getTrad('settings.notification.checkFailed'), defaultMessage: 'The connection check failed' },
} satisfies Record<string, MessageDescriptor>;

export interface SaveFailure {
  /** null when no answer came back. */
  error: ApiErrorBody | null;
}

export interface SettingsActions {
  activating: boolean;
  startActivation(): void;
  cancelActivation(): void;
  save(): void;
  deactivate(): void;
  testConnection(): void;
  isSaving: boolean;
  isDeactivating: boolean;
  isChecking: boolean;
  saveFailure: SaveFailure | null;
  dismissSaveFailure(): void;
  /** The newest check: Test connection's or a failed save's; otherwise the server's last one. */
  connection: ConnectionResult | null;
}

/**
 * Save Changes, Activate, Deactivate and Test connection for the page: client validation first, the app locked
 * while saving, notifications, server field errors put next to their fields and the form reset after a save.
 */
export function useSettingsActions(data: SettingsResponse, form: SettingsFormState): SettingsActions {
  const toggleNotification = useNotification();
  const { lockApp, unlockApp } = useOverlayBlocker();
  const saveMutation = useSaveSettings();
  const checkMutation = useCheckConnection();
  const [activating, setActivating] = useState(false);
  const [saveFailure, setSaveFailure] = useState<SaveFailure | null>(null);
  const [checked, setChecked] = useState<ConnectionResult | null>(null);
  const context = {
    secretKeySet: data.settings.secretKeySet,
    clientSecretSet: data.settings.clientSecretSet === true,
    lockedFields: data.lockedFields,
  };

  const submit = (update: SettingsUpdate, success: MessageDescriptor) => {
    lockApp?.();
    saveMutation.mutate(update, {
      onSuccess(saved) {
        form.reset(saved.settings);
        setActivating(false);
        setSaveFailure(null);
        setChecked(null);
        toggleNotification({ type: 'success', message: success });
      },
      onError(thrown) {
        const error = readApiError(thrown);
        setSaveFailure({ error });
        form.setErrors(fieldErrorsOf(error));
        if (error?.details?.connection) setChecked(error.details.connection);
        toggleNotification({ type: 'warning', message: MESSAGES.saveFailed });
      },
      onSettled() {
        unlockApp?.();
      },
    });
  };

  const save = () => {
    const errors = validateKeys(form.values, context);
    if (hasErrors(errors)) {
      form.setErrors(errors);
      toggleNotification({ type: 'warning', message: MESSAGES.invalid });
      return;
    }
    const activate = activating && !data.settings.activated;
    submit(toUpdate(form.values, data.lockedFields, activate), activate ? MESSAGES.activated : MESSAGES.saved);
  };

  const testConnection = () => {
    const errors = validateKeys(form.values, context);
    if (hasErrors(errors)) {
      form.setErrors(errors);
      return;
    }
    checkMutation.mutate(toCheckRequest(form.values, data.lockedFields), {
      onSuccess(result) {
        setChecked(result);
        toggleNotification(
          result.ok
            ? { type: 'success', message: MESSAGES.checkOk }
            : { type: 'warning', message: MESSAGES.checkFailed },
        );
      },
      onError(thrown) {
        const error = readApiError(thrown);
        form.setErrors(fieldErrorsOf(error));
        if (error?.details?.connection) setChecked(error.details.connection);
        toggleNotification({ type: 'warning', message: error?.message ?? MESSAGES.checkFailed });
      },
    });
  };

  return {
    activating,
    startActivation: () => setActivating(true),
    cancelActivation: () => {
      setActivating(false);
      setSaveFailure(null);
      form.reset(data.settings);
    },
    save,
    deactivate: () => submit({ activated: false }, MESSAGES.deactivated),
    testConnection,
    isSaving: saveMutation.isLoading,
    isDeactivating: saveMutation.isLoading && saveMutation.variables?.activated === false,
    isChecking: checkMutation.isLoading,
    saveFailure,
    dismissSaveFailure: () => setSaveFailure(null),
    connection: checked ?? data.connection,
  };
}
