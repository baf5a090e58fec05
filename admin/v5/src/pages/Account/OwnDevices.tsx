import { Box, Button, Flex, Typography } from '@strapi/design-system';
import { useFetchClient } from '@strapi/strapi/admin';

import { loadOwnDevices, OWN_DEVICES_KEY } from '../../../../shared/api/devices.js';
import { useOwnDevices } from '../../../../shared/hooks/useOwnDevices.js';
import { Panel } from '../../components/Panel.js';
import { useResource } from '../../hooks/useResource.js';

/** "Your devices" and the way to turn Duo off (Strapi 5 design system; the words from shared/hooks/useOwnDevices). */
export function OwnDevices({ busy, onTurnOff }: { busy: boolean; onTurnOff: () => void }) {
  const { get } = useFetchClient();
  const view = useOwnDevices(useResource(OWN_DEVICES_KEY, () => loadOwnDevices(get)));
  return (
    <Box marginTop={6}>
      <Panel labelledBy="duo-devices-title">
        <Flex direction="column" alignItems="stretch" gap={3}>
          <Typography variant="delta" tag="h2" id="duo-devices-title">
            {view.title}
          </Typography>
          <Typography tag="p">{view.intro}</Typography>
          {view.failure !== null ? (
            <Typography tag="p" textColor="danger600" role="alert">
              {view.failure}
            </Typography>
          ) : null}
          {view.none !== null ? <Typography tag="p">{view.none}</Typography> : null}
          {view.devices.length > 0 ? (
            <ul aria-labelledby="duo-devices-title">
              {view.devices.map((device) => (
                <li key={device.id}>
                  <Typography fontWeight="bold">{device.name}</Typography>{' '}
                  <Typography textColor="neutral600">{device.details}</Typography>
                </li>
              ))}
            </ul>
          ) : null}
          <Typography variant="omega" fontWeight="bold" tag="h3">
            {view.addTitle}
          </Typography>
          <Typography tag="p">{view.add}</Typography>
          <Typography tag="p">{view.remove}</Typography>
          {view.turnOffRequired !== null ? (
            <Typography tag="p">{view.turnOffRequired}</Typography>
          ) : (
            <Box>
              <Button variant="danger-light" loading={busy} onClick={onTurnOff}>
                {view.turnOff}
              </Button>
            </Box>
          )}
        </Flex>
      </Panel>
    </Box>
  );
}
