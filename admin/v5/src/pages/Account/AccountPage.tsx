import { useState } from 'react';

import { Alert, Box } from '@strapi/design-system';
import { Layouts, Page, storeToken, useFetchClient, useNotification } from '@strapi/strapi/admin';
import { useIntl } from 'react-intl';

import { BackupCodes } from '../../../../shared/components/BackupCodes.js';

import { readApiError } from '../../../../shared/api/errors.js';
import {
  isStepStart,
  isUniversalStart,
  readStart,
  type StepResult,
  type StepStart,
} from '../../../../shared/api/step.js';
import { handOffUniversal } from '../../../../shared/glue/handOff.js';
import { pluginId } from '../../../../shared/pluginId.js';
import type { Envelope } from '../../../../shared/api/types.js';
import { ACCOUNT_PATH, type AccountStatus } from '../../../../shared/api/users.js';
import { useStepText } from '../../../../shared/hooks/useStepText.js';
import { getTrad } from '../../../../shared/utils/getTrad.js';
import type { StepMessage } from '../../../../shared/utils/stepMessages.js';
import { DuoStepPanel } from '../../components/DuoStep/DuoStepPanel.js';
import { Panel } from '../../components/Panel.js';
import { useResource } from '../../hooks/useResource.js';
import { OwnDevices } from './OwnDevices.js';
import { RecoveryHelp } from './RecoveryHelp.js';
import { StatusCard } from './StatusCard.js';

const MESSAGES = {
  title: { id: getTrad('account.title'), defaultMessage: 'Two-factor (Duo)' },
  subtitle: {
    id: getTrad('account.subtitle'),
    defaultMessage: 'Protect your administrator account: after your password, approve a Duo Push or enter a passcode.',
  },
  enabled: { id: getTrad('account.notification.enabled'), defaultMessage: 'Two-factor authentication is on' },
  disabled: { id: getTrad('account.notification.disabled'), defaultMessage: 'Two-factor authentication is off' },
  failed: { id: getTrad('account.notification.failed'), defaultMessage: 'Nothing was changed.' },
  enableIntro: {
    id: getTrad('account.step.enable'),
    defaultMessage: 'Turn on two-factor authentication: set up Duo Mobile if asked, then approve one request.',
  },
  disableIntro: {
    id: getTrad('account.step.disable'),
    defaultMessage: 'To turn off two-factor authentication, verify with Duo once more.',
  },
  backupCodesIntro: {
    id: getTrad('account.step.backupCodes'),
    defaultMessage: 'To make new backup codes, verify with Duo once more. Your old codes then stop working.',
  },
  renewed: {
    id: getTrad('account.notification.backupCodes'),
    defaultMessage: 'New backup codes are ready; the old ones no longer work',
  },
  close: { id: getTrad('settings.close'), defaultMessage: 'Close' },
  ended: { id: getTrad('account.step.ended'), defaultMessage: 'Nothing was changed' },
  loadError: {
    id: getTrad('account.loadError'),
    defaultMessage: 'Your two-factor authentication status could not be loaded.',
  },
  unreadable: {
    id: getTrad('account.unreadable'),
    defaultMessage: 'The server gave an answer this page does not understand.',
  },
};

type Purpose = 'enable' | 'disable' | 'backup-codes';

const INTRO = { enable: 'enableIntro', disable: 'disableIntro', 'backup-codes': 'backupCodesIntro' } as const;

interface OpenStep {
  purpose: Purpose;
  start: StepStart;
}

/**
 * Status, Enable (enrolment and one verification), Disable and New backup codes (each after a fresh verification)
 * for the signed-in admin.
 */
export function AccountPage() {
  const { formatMessage } = useIntl();
  const text = useStepText();
  const { toggleNotification } = useNotification();
  const { get, post } = useFetchClient();
  const status = useResource('me', async () => (await get<Envelope<AccountStatus>>(ACCOUNT_PATH)).data.data);
  const [starting, setStarting] = useState(false);
  const [step, setStep] = useState<OpenStep | null>(null);
  const [ended, setEnded] = useState<StepMessage | null>(null);

  const [backupCodes, setBackupCodes] = useState<string[] | null>(null);

  const finished = (result: StepResult) => {
    setStep(null);
    if (result.enabled === undefined) {
      // A new set, shown this once; the count on the card follows.
      setBackupCodes(result.backupCodes);
      toggleNotification({ type: 'success', message: formatMessage(MESSAGES.renewed) });
      return status.reload();
    }
    // The first backup codes come with Duo turned on: shown this once.
    setBackupCodes(result.enabled && result.backupCodes !== undefined ? result.backupCodes : null);
    // Turning Duo on ends the sessions without Duo's mark, this one included; the server opened a marked one (its
    // refresh cookie is set) and answers its access token. storeToken puts it where Strapi 5 keeps the current one
    // (localStorage with "Remember me", else the jwtToken cookie) and tells the admin's store, so the next request
    // and a reload both use it.
    if (result.enabled && result.token !== null) storeToken(result.token);
    toggleNotification({
      type: 'success',
      message: formatMessage(result.enabled ? MESSAGES.enabled : MESSAGES.disabled),
    });
    status.reload();
  };

  const begin = async (purpose: Purpose) => {
    setEnded(null);
    setStarting(true);
    try {
      const { data } = await post<{ data?: unknown }>(`${ACCOUNT_PATH}/${purpose}`, {});
      const answer = readStart(data.data);
      if (answer === undefined) {
        toggleNotification({ type: 'danger', message: formatMessage(MESSAGES.unreadable) });
      } else if (isUniversalStart(answer)) {
        handOffUniversal(answer, `/plugins/${pluginId}`);
      } else if (isStepStart(answer)) {
        setStep({ purpose, start: answer });
      } else {
        finished(answer);
      }
    } catch (thrown) {
      toggleNotification({ type: 'danger', message: readApiError(thrown)?.message ?? formatMessage(MESSAGES.failed) });
    } finally {
      setStarting(false);
    }
  };

  const title = formatMessage(MESSAGES.title);
  if (status.isLoading && status.data === undefined) return <Page.Loading />;
  return (
    <Page.Main>
      <Page.Title>{title}</Page.Title>
      <Layouts.Header title={title} subtitle={formatMessage(MESSAGES.subtitle)} />
      <Layouts.Content>
        {status.data === undefined ? <Page.Error content={formatMessage(MESSAGES.loadError)} /> : null}
        {status.data !== undefined ? (
          <Panel labelledBy="duo-account-title">
            {ended !== null ? (
              <Box paddingBottom={4}>
                <Alert
                  variant="danger"
                  title={formatMessage(MESSAGES.ended)}
                  closeLabel={formatMessage(MESSAGES.close)}
                  onClose={() => setEnded(null)}
                >
                  {text(ended)}
                </Alert>
              </Box>
            ) : null}
            <StatusCard
              status={status.data}
              busy={starting}
              stepOpen={step !== null}
              onEnable={() => void begin('enable')}
              onDisable={() => void begin('disable')}
              onNewBackupCodes={() => void begin('backup-codes')}
            >
              {step !== null ? (
                <DuoStepPanel
                  key={step.start.step.id}
                  start={step.start}
                  intro={formatMessage(MESSAGES[INTRO[step.purpose]])}
                  onResult={finished}
                  onEnd={(message) => {
                    setStep(null);
                    setEnded(message);
                  }}
                  onCancelled={() => setStep(null)}
                />
              ) : null}
            </StatusCard>
            {backupCodes !== null ? <BackupCodes codes={backupCodes} /> : null}
          </Panel>
        ) : null}
        {status.data?.enabled ? (
          <OwnDevices busy={starting || step !== null} onTurnOff={() => void begin('disable')} />
        ) : null}
        {status.data?.available ? <RecoveryHelp /> : null}
      </Layouts.Content>
    </Page.Main>
  );
}
