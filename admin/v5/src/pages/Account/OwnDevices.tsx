import { Box, Button, Flex, Typography } from '@strapi/design-system';
import { useFetchClient } from '@strapi/strapi/admin';
import { useIntl } from 'react-intl';

import { DEVICES_PATH, OWN_DEVICES_MESSAGES as M, readOwnDevices } from '../../../../shared/api/devices.js';
import { readApiError } from '../../../../shared/api/errors.js';
import { Panel } from '../../components/Panel.js';
import { useResource } from '../../hooks/useResource.js';

/**
 * "Your devices": what Duo's preauth gives for the signed-in administrator, what only Duo can do about them (the
 * Auth API adds, renames and removes no device of an existing Duo user), and the way to turn Duo off.
 */
export function OwnDevices({ busy, onTurnOff }: { busy: boolean; onTurnOff: () => void }) {
  const { formatMessage } = useIntl();
  const { get } = useFetchClient();
  const devices = useResource('me/devices', async () => {
    const answer = readOwnDevices((await get<{ data?: unknown }>(DEVICES_PATH)).data.data);
    if (answer === undefined) throw new Error('unreadable');
    return answer;
  });
  const failure = devices.error === null ? null : (readApiError(devices.error)?.message ?? formatMessage(M.loadError));
  return (
    <Box marginTop={6}>
      <Panel labelledBy="duo-devices-title">
        <Flex direction="column" alignItems="stretch" gap={3}>
          <Typography variant="delta" tag="h2" id="duo-devices-title">
            {formatMessage(M.title)}
          </Typography>
          <Typography tag="p">{formatMessage(M.intro)}</Typography>
          {failure !== null ? (
            <Typography tag="p" textColor="danger600" role="alert">
              {failure}
            </Typography>
          ) : null}
          {devices.data !== undefined && devices.data.duo !== 'auth' ? (
            <Typography tag="p">{formatMessage(M.none[devices.data.duo])}</Typography>
          ) : null}
          {devices.data !== undefined && devices.data.devices.length > 0 ? (
            <ul aria-labelledby="duo-devices-title">
              {devices.data.devices.map((device) => (
                <li key={device.id}>
                  <Typography fontWeight="bold">{device.name}</Typography>{' '}
                  <Typography textColor="neutral600">
                    ({[device.type, device.number || formatMessage(M.noNumber), ...device.capabilities].join(', ')})
                  </Typography>
                </li>
              ))}
            </ul>
          ) : null}
          <Typography variant="omega" fontWeight="bold" tag="h3">
            {formatMessage(M.addTitle)}
          </Typography>
          <Typography tag="p">{formatMessage(M.add)}</Typography>
          <Typography tag="p">{formatMessage(M.remove)}</Typography>
          {devices.data?.turnOffAllowed === false ? (
            <Typography tag="p">{formatMessage(M.turnOffRequired)}</Typography>
          ) : (
            <Box>
              <Button variant="danger-light" loading={busy} onClick={onTurnOff}>
                {formatMessage(M.turnOff)}
              </Button>
            </Box>
          )}
        </Flex>
      </Panel>
    </Box>
  );
}
