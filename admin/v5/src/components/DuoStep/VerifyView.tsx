import { useState, type ChangeEvent, type FormEvent } from 'react';

import {
  Box,
  Button,
  Field,
  Flex,
  SingleSelect,
  SingleSelectOption,
  TextInput,
  Typography,
} from '@strapi/design-system';
import { useIntl } from 'react-intl';

import type { DuoOptions } from '../../../../shared/api/step.js';
import type { DuoStepControls } from '../../../../shared/hooks/useDuoStep.js';
import { getTrad } from '../../../../shared/utils/getTrad.js';

export interface VerifyViewProps {
  duo: Extract<DuoOptions, { result: 'auth' }>;
  step: DuoStepControls;
}

/** Duo knows the administrator's devices: pick one and a way to verify (what the device can do), or a passcode. */
export function VerifyView({ duo, step }: VerifyViewProps) {
  const { formatMessage } = useIntl();
  const [deviceId, setDeviceId] = useState<string | undefined>(duo.devices[0]?.id);
  const [code, setCode] = useState('');
  const [busy, setBusy] = useState<string | null>(null);
  const device = duo.devices.find((candidate) => candidate.id === deviceId) ?? duo.devices[0];
  const can = (factor: string) => duo.factors.includes(factor) && (device?.capabilities.includes(factor) ?? false);

  const run = (name: string, work: () => Promise<void>) => async () => {
    setBusy(name);
    try {
      await work();
    } finally {
      setBusy(null);
    }
  };

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    event.stopPropagation();
    void run('passcode', async () => {
      await step.passcode(code.trim());
      setCode('');
    })();
  };

  return (
    <Flex direction="column" alignItems="stretch" gap={4}>
      {duo.devices.length > 1 ? (
        <Field.Root name="device">
          <Field.Label>{formatMessage({ id: getTrad('step.device'), defaultMessage: 'Device' })}</Field.Label>
          <SingleSelect value={device?.id} onChange={(value: string | number) => setDeviceId(String(value))}>
            {duo.devices.map((option) => (
              <SingleSelectOption key={option.id} value={option.id}>
                {option.name}
              </SingleSelectOption>
            ))}
          </SingleSelect>
        </Field.Root>
      ) : null}
      <Flex gap={2} wrap="wrap">
        {can('push') ? (
          <Button loading={busy === 'push'} onClick={run('push', () => step.push(device?.id))}>
            {formatMessage({ id: getTrad('step.push'), defaultMessage: 'Send Duo Push' })}
          </Button>
        ) : null}
        {can('phone') ? (
          <Button variant="secondary" loading={busy === 'phone'} onClick={run('phone', () => step.phone(device?.id))}>
            {formatMessage({ id: getTrad('step.phone'), defaultMessage: 'Call me' })}
          </Button>
        ) : null}
        {can('sms') ? (
          <Button variant="secondary" loading={busy === 'sms'} onClick={run('sms', () => step.sms(device?.id))}>
            {formatMessage({ id: getTrad('step.sms'), defaultMessage: 'Text me passcodes' })}
          </Button>
        ) : null}
      </Flex>
      <form onSubmit={submit} noValidate>
        <Flex gap={2} alignItems="flex-end" wrap="wrap">
          <Box grow={1}>
            <Field.Root name="passcode">
              <Field.Label>{formatMessage({ id: getTrad('step.passcode'), defaultMessage: 'Passcode' })}</Field.Label>
              <TextInput
                inputMode="numeric"
                autoComplete="one-time-code"
                maxLength={16}
                value={code}
                onChange={(event: ChangeEvent<HTMLInputElement>) => setCode(event.target.value)}
              />
            </Field.Root>
          </Box>
          <Button type="submit" variant="secondary" size="L" loading={busy === 'passcode'}>
            {formatMessage({ id: getTrad('step.verify'), defaultMessage: 'Verify' })}
          </Button>
        </Flex>
        {/* Under the row, not in the field: a hint inside would push the input above the Verify button. */}
        <Box paddingTop={1}>
          <Typography variant="pi" textColor="neutral600">
            {formatMessage({
              id: getTrad('step.passcode.hint'),
              defaultMessage: 'From Duo Mobile, a text message, a hardware token or a bypass code.',
            })}
          </Typography>
        </Box>
      </form>
    </Flex>
  );
}
