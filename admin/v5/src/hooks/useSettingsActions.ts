import { useState } from 'react';

import { useFetchClient, useNotification } from '@strapi/strapi/admin';
import { useIntl, type MessageDescriptor } from 'react-intl';

import { fieldErrorsOf, readApiError } from '../../../shared/api/errors.js';
import {
  CHECK_PATH,
  SETTINGS_PATH,
  type ApiErrorBody,
  type ConnectionResult,
  type Envelope,
  type SettingsResponse,
  type SettingsUpdate,
} from '../../../shared/api/types.js';
import type { SettingsFormState } from '../../../shared/hooks/useSettingsForm.js';
import { toCheckRequest, toUpdate } from '../../../shared/utils/formValues.js';
import { getTrad } from '../../../shared/utils/getTrad.js';
import { hasErrors, validateKeys } from '../../../shared/utils/schema.js';

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
  /** Why the last save failed (`error` null: no answer came back); null after a success or a dismissal. */
  saveFailure: { error: ApiErrorBody | null } | null;
  dismissSaveFailure(): void;
  /** The newest check: Test connection's or a failed save's; otherwise the server's last one. */
  connection: ConnectionResult | null;
}

/**
 * Save Changes, Activate, Deactivate and Test connection on Strapi 5, as admin/src/hooks/useSettingsActions does on
 * Strapi 4: client validation first, notifications, the server's field errors next to their fields, the form reset
 * from the saved answer. `onSaved` hands the answer to the page's data. Strapi 5 has no overlay blocker; the
 * buttons show their loading state instead, and Strapi 5's notifications take a string and know no "warning".
 */
export function useSettingsActions(
  data: SettingsResponse,
  form: SettingsFormState,
  onSaved: (saved: SettingsResponse) => void,
): SettingsActions {
  const { formatMessage } = useIntl();
  const { toggleNotification } = useNotification();
  const { put, post } = useFetchClient();
  const [activating, setActivating] = useState(false);
  const [saving, setSaving] = useState<SettingsUpdate | null>(null);
  const [isChecking, setChecking] = useState(false);
  const [saveFailure, setSaveFailure] = useState<{ error: ApiErrorBody | null } | null>(null);
  const [checked, setChecked] = useState<ConnectionResult | null>(null);
  const context = {
    secretKeySet: data.settings.secretKeySet,
    clientSecretSet: data.settings.clientSecretSet === true,
    lockedFields: data.lockedFields,
  };
  const notify = (type: 'success' | 'danger', message: MessageDescriptor | string) =>
    toggleNotification({ type, message: typeof message === 'string' ? message : formatMessage(message) });

  const submit = async (update: SettingsUpdate, success: MessageDescriptor) => {
    setSaving(update);
    try {
      const { data: answer } = await put<Envelope<SettingsResponse>>(SETTINGS_PATH, update);
      form.reset(answer.data.settings);
      onSaved(answer.data);
      setActivating(false);
      setSaveFailure(null);
      setChecked(null);
      notify('success', success);
    } catch (thrown) {
      const error = readApiError(thrown);
      setSaveFailure({ error });
      form.setErrors(fieldErrorsOf(error));
      if (error?.details?.connection) setChecked(error.details.connection);
      notify('danger', MESSAGES.saveFailed);
    } finally {
      setSaving(null);
    }
  };

  const save = () => {
    const errors = validateKeys(form.values, context);
    if (hasErrors(errors)) {
      form.setErrors(errors);
      notify('danger', MESSAGES.invalid);
      return;
    }
    const activate = activating && !data.settings.activated;
    void submit(toUpdate(form.values, data.lockedFields, activate), activate ? MESSAGES.activated : MESSAGES.saved);
  };

  const testConnection = async () => {
    const errors = validateKeys(form.values, context);
    if (hasErrors(errors)) {
      form.setErrors(errors);
      return;
    }
    setChecking(true);
    try {
      const { data: answer } = await post<Envelope<ConnectionResult>>(
        CHECK_PATH,
        toCheckRequest(form.values, data.lockedFields),
      );
      setChecked(answer.data);
      notify(answer.data.ok ? 'success' : 'danger', answer.data.ok ? MESSAGES.checkOk : MESSAGES.checkFailed);
    } catch (thrown) {
      const error = readApiError(thrown);
      form.setErrors(fieldErrorsOf(error));
      if (error?.details?.connection) setChecked(error.details.connection);
      notify('danger', error?.message ?? MESSAGES.checkFailed);
    } finally {
      setChecking(false);
    }
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
    deactivate: () => void submit({ activated: false }, MESSAGES.deactivated),
    testConnection: () => void testConnection(),
    isSaving: saving !== null,
    isDeactivating: saving?.activated === false,
    isChecking,
    saveFailure,
    dismissSaveFailure: () => setSaveFailure(null),
    connection: checked ?? data.connection,
  };
}
