import { useState, type ChangeEvent, type FormEvent } from 'react';

import { Box, Button, Field, Flex, SingleSelect, SingleSelectOption, TextInput } from '@strapi/design-system';
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
      {/* Sized like Strapi's own forms: a field as wide as what it holds (16 digits at most), its hint under it,
          then its action, the size of the buttons above. */}
      <form onSubmit={submit} noValidate>
        <Flex direction="column" alignItems="flex-start" gap={3}>
          <Box style={{ width: '100%', maxWidth: '20rem' }}>
            <Field.Root
              name="passcode"
              hint={formatMessage({
                id: getTrad('step.passcode.hint'),
                defaultMessage: 'From Duo Mobile, a text message, a hardware token or a bypass code.',
              })}
            >
              <Field.Label>{formatMessage({ id: getTrad('step.passcode'), defaultMessage: 'Passcode' })}</Field.Label>
              <TextInput
                inputMode="numeric"
                autoComplete="one-time-code"
                maxLength={16}
                value={code}
                onChange={(event: ChangeEvent<HTMLInputElement>) => setCode(event.target.value)}
              />
              <Field.Hint />
            </Field.Root>
          </Box>
          <Button type="submit" variant="secondary" loading={busy === 'passcode'}>
            {formatMessage({ id: getTrad('step.verify'), defaultMessage: 'Verify' })}
          </Button>
        </Flex>
      </form>
    </Flex>
  );
}
