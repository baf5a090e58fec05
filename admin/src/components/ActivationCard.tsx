import { useState } from 'react';

import { Badge, Box, Button, Flex, Typography } from '@strapi/design-system';
import { ConfirmDialog } from '@strapi/helper-plugin';
import { useIntl } from 'react-intl';

import { getTrad } from '../../shared/utils/getTrad';
import { LOCKED_HINT } from '../../shared/utils/messages';

export interface ActivationCardProps {
  activated: boolean;
  /** Activate was clicked: the form is shown and Save Changes will activate. */
  activating: boolean;
  canUpdate: boolean;
  /** `activated` is set in config/plugins, so the page cannot change it. */
  activationLocked: boolean;
  isDeactivating: boolean;
  onActivate(): void;
  onCancelActivation(): void;
  onDeactivate(): void;
}

/** The WHMCS-style module card: what Duo does, what it needs, and Activate / Deactivate. */
export function ActivationCard({
  activated,
  activating,
  canUpdate,
  activationLocked,
  isDeactivating,
  onActivate,
  onCancelActivation,
  onDeactivate,
}: ActivationCardProps) {
  const { formatMessage } = useIntl();
  const [confirming, setConfirming] = useState(false);
  const canToggle = canUpdate && !activationLocked;

  return (
    <Box
      as="section"
      aria-labelledby="duo-activation-title"
      background="neutral0"
      hasRadius
      shadow="filterShadow"
      paddingTop={6}
      paddingBottom={6}
      paddingLeft={5}
      paddingRight={5}
    >
      <Flex justifyContent="space-between" alignItems="flex-start" gap={4} wrap="wrap">
        <Flex direction="column" alignItems="stretch" gap={2} style={{ flex: '1 1 16rem', minWidth: 0 }}>
          <Flex gap={3} wrap="wrap">
            <Typography variant="delta" as="h2" id="duo-activation-title">
              {formatMessage({ id: getTrad('settings.card.title'), defaultMessage: 'Duo Security' })}
            </Typography>
            {activated ? (
              <Badge active>
                {formatMessage({ id: getTrad('settings.card.status.active'), defaultMessage: 'Active' })}
              </Badge>
            ) : (
              <Badge>
                {formatMessage({ id: getTrad('settings.card.status.inactive'), defaultMessage: 'Not activated' })}
              </Badge>
            )}
          </Flex>
          <Typography as="p">
            {formatMessage({
              id: getTrad('settings.card.description'),
              defaultMessage:
                'Duo two-factor authentication asks staff and clients to confirm each login with Duo (Duo Push, a passcode, a text message or a phone call) after their password.',
            })}
          </Typography>
          <Typography as="p" textColor="neutral600">
            {formatMessage({
              id: getTrad('settings.card.requirements'),
              defaultMessage:
                "It needs an application in the Duo Admin Panel (Applications → Protect an Application): an Auth API application, which gives the Integration Key, the Secret Key and the API Hostname, or a Web SDK application for Duo's Universal Prompt, which gives the Client ID, the Client Secret and the API Hostname.",
            })}
          </Typography>
          {activating ? (
            <Typography as="p" fontWeight="bold">
              {formatMessage({
                id: getTrad('settings.card.activating'),
                defaultMessage:
                  'Enter the keys below and click Save Changes. Duo is checked first; activation is refused while the check fails.',
              })}
            </Typography>
          ) : null}
          {activationLocked ? (
            <Typography as="p" variant="pi" textColor="neutral600">
              {formatMessage(LOCKED_HINT)}
            </Typography>
          ) : null}
        </Flex>
        {canToggle ? (
          <Flex gap={2} shrink={0}>
            {!activated && !activating ? (
              <Button onClick={onActivate}>
                {formatMessage({ id: getTrad('settings.card.activate'), defaultMessage: 'Activate' })}
              </Button>
            ) : null}
            {activating ? (
              <Button variant="tertiary" onClick={onCancelActivation}>
                {formatMessage({ id: getTrad('settings.card.cancel'), defaultMessage: 'Cancel' })}
              </Button>
            ) : null}
            {activated ? (
              <Button variant="danger-light" loading={isDeactivating} onClick={() => setConfirming(true)}>
                {formatMessage({ id: getTrad('settings.card.deactivate'), defaultMessage: 'Deactivate' })}
              </Button>
            ) : null}
          </Flex>
        ) : null}
      </Flex>
      <ConfirmDialog
        isOpen={confirming}
        onToggleDialog={() => setConfirming(false)}
        onConfirm={() => {
          setConfirming(false);
          onDeactivate();
        }}
        variantRightButton="danger-light"
        rightButtonText={{ id: getTrad('settings.card.deactivate'), defaultMessage: 'Deactivate' }}
        bodyText={{
          id: getTrad('settings.card.deactivate.confirm'),
          defaultMessage:
            'Deactivate Duo Security? Staff and clients will sign in with their password only until it is activated again.',
        }}
      />
    </Box>
  );
}
