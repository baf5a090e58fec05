import { useState } from 'react';

import { Alert, Box, ContentLayout, HeaderLayout, Main } from '@strapi/design-system';
import { AnErrorOccurred, LoadingIndicatorPage, useFocusWhenNavigate, useNotification } from '@strapi/helper-plugin';
import { useIntl } from 'react-intl';

import { BackupCodes } from '../../../shared/components/BackupCodes';
import { useQueryClient } from 'react-query';

import { readApiError } from '../../../shared/api/errors';
import { isStepStart, isUniversalStart, type StepResult, type StepStart } from '../../../shared/api/step';
import { handOffUniversal } from '../../../shared/glue/handOff';
import { pluginId } from '../../../shared/pluginId';
import { useStepText } from '../../../shared/hooks/useStepText';
import { DuoStepPanel } from '../../components/DuoStep/DuoStepPanel';
import { ACCOUNT_QUERY_KEY, useAccountStatus, useStartStep } from '../../hooks/useAccount';
import { replaceAdminToken } from '../../utils/adminToken';
import { getTrad } from '../../../shared/utils/getTrad';
import type { StepMessage } from '../../../shared/utils/stepMessages';
import { OwnDevices } from './OwnDevices';
import { RecoveryHelp } from './RecoveryHelp';
import { StatusCard } from './StatusCard';

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
  useFocusWhenNavigate();
  const text = useStepText();
  const toggleNotification = useNotification();
  const queryClient = useQueryClient();
  const status = useAccountStatus();
  const startStep = useStartStep();
  const [step, setStep] = useState<OpenStep | null>(null);
  const [ended, setEnded] = useState<StepMessage | null>(null);

  const [backupCodes, setBackupCodes] = useState<string[] | null>(null);

  const finished = (result: StepResult) => {
    setStep(null);
    if (result.enabled === undefined) {
      // A new set, shown this once; the count on the card follows.
      setBackupCodes(result.backupCodes);
      toggleNotification({ type: 'success', message: MESSAGES.renewed });
      return void queryClient.invalidateQueries(ACCOUNT_QUERY_KEY);
    }
    // The first backup codes come with Duo turned on: shown this once.
    setBackupCodes(result.enabled && result.backupCodes !== undefined ? result.backupCodes : null);
    // Turning Duo on ends sessions without the Duo claim, this one included: keep the new token, which has it.
    if (result.enabled && result.token !== null) replaceAdminToken(result.token);
    toggleNotification({ type: 'success', message: result.enabled ? MESSAGES.enabled : MESSAGES.disabled });
    void queryClient.invalidateQueries(ACCOUNT_QUERY_KEY);
  };

  const begin = (purpose: Purpose) => {
    setEnded(null);
    startStep.mutate(purpose, {
      onSuccess(answer) {
        if (isUniversalStart(answer)) handOffUniversal(answer, `/plugins/${pluginId}`);
        else if (isStepStart(answer)) setStep({ purpose, start: answer });
        else finished(answer);
      },
      onError(thrown) {
        toggleNotification({ type: 'warning', message: readApiError(thrown)?.message ?? MESSAGES.failed });
      },
    });
  };

  const title = formatMessage(MESSAGES.title);
  return (
    <Main aria-busy={status.isLoading}>
      <HeaderLayout title={title} subtitle={formatMessage(MESSAGES.subtitle)} />
      <ContentLayout>
        {status.isLoading ? <LoadingIndicatorPage /> : null}
        {status.isError ? <AnErrorOccurred content={MESSAGES.loadError} /> : null}
        {status.data ? (
          <Box
            as="section"
            aria-labelledby="duo-account-title"
            background="neutral0"
            hasRadius
            shadow="filterShadow"
            paddingTop={6}
            paddingBottom={6}
            paddingLeft={7}
            paddingRight={7}
          >
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
              busy={startStep.isLoading}
              stepOpen={step !== null}
              onEnable={() => begin('enable')}
              onDisable={() => begin('disable')}
              onNewBackupCodes={() => begin('backup-codes')}
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
          </Box>
        ) : null}
        {status.data?.enabled ? (
          <OwnDevices busy={startStep.isLoading || step !== null} onTurnOff={() => begin('disable')} />
        ) : null}
        {status.data?.available ? <RecoveryHelp /> : null}
      </ContentLayout>
    </Main>
  );
}
