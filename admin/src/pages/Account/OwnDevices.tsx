import { Box, Button, Flex, Typography } from '@strapi/design-system';
import { useFetchClient } from '@strapi/helper-plugin';
import { useQuery } from 'react-query';

import { loadOwnDevices, OWN_DEVICES_KEY } from '../../../shared/api/devices';
import { useOwnDevices } from '../../../shared/hooks/useOwnDevices';
import { pluginId } from '../../../shared/pluginId';

/** "Your devices" and the way to turn Duo off (Strapi 4 design system; the words from shared/hooks/useOwnDevices). */
export function OwnDevices({ busy, onTurnOff }: { busy: boolean; onTurnOff: () => void }) {
  const { get } = useFetchClient();
  // Each mount asks Duo afresh. No retries: Duo out of reach is an answer to show, not a reason to ask again.
  const devices = useQuery([pluginId, OWN_DEVICES_KEY], () => loadOwnDevices(get), {
    retry: false,
    refetchOnWindowFocus: false,
  });
  const view = useOwnDevices({ data: devices.data, error: devices.isError ? devices.error : null });
  return (
    <Box
      as="section"
      aria-labelledby="duo-devices-title"
      marginTop={6}
      background="neutral0"
      hasRadius
      shadow="filterShadow"
      paddingTop={6}
      paddingBottom={6}
      paddingLeft={7}
      paddingRight={7}
    >
      <Flex direction="column" alignItems="stretch" gap={3}>
        <Typography variant="delta" as="h2" id="duo-devices-title">
          {view.title}
        </Typography>
        <Typography as="p">{view.intro}</Typography>
        {view.failure !== null ? (
          <Typography as="p" textColor="danger600" role="alert">
            {view.failure}
          </Typography>
        ) : null}
        {view.none !== null ? <Typography as="p">{view.none}</Typography> : null}
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
        <Typography variant="omega" fontWeight="bold" as="h3">
          {view.addTitle}
        </Typography>
        <Typography as="p">{view.add}</Typography>
        <Typography as="p">{view.remove}</Typography>
        {view.turnOffRequired !== null ? (
          <Typography as="p">{view.turnOffRequired}</Typography>
        ) : (
          <Box>
            <Button variant="danger-light" loading={busy} onClick={onTurnOff}>
              {view.turnOff}
            </Button>
          </Box>
        )}
      </Flex>
    </Box>
  );
}
