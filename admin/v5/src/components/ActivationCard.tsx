import { useState } from 'react';

import { Badge, Button, Dialog, Flex, Typography } from '@strapi/design-system';
import { ConfirmDialog } from '@strapi/strapi/admin';
import { useIntl } from 'react-intl';

import { getTrad } from '../../../shared/utils/getTrad.js';
import { LOCKED_HINT } from '../../../shared/utils/messages.js';
import { Panel } from './Panel.js';

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

const DEACTIVATE = { id: getTrad('settings.card.deactivate'), defaultMessage: 'Deactivate' };

/** The module card: what Duo does, what it needs, and Activate / Deactivate (Strapi 5 design system). */
export function ActivationCard(props: ActivationCardProps) {
  const { activated, activating, activationLocked } = props;
  const { formatMessage } = useIntl();

  return (
    <Panel labelledBy="duo-activation-title">
      {/* wrap: at 800 px the buttons go under the text instead of squeezing it. */}
      <Flex justifyContent="space-between" alignItems="flex-start" gap={6} wrap="wrap">
        <Flex direction="column" alignItems="stretch" gap={2} flex="1 1 28rem" minWidth={0}>
          <Flex gap={3} wrap="wrap">
            <Typography variant="delta" tag="h2" id="duo-activation-title">
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
          <Typography tag="p">
            {formatMessage({
              id: getTrad('settings.card.description'),
              defaultMessage:
                'Duo two-factor authentication asks staff and clients to confirm each login with Duo (Duo Push, a passcode, a text message or a phone call) after their password.',
            })}
          </Typography>
          <Typography tag="p" textColor="neutral600">
            {formatMessage({
              id: getTrad('settings.card.requirements'),
              defaultMessage:
                "It needs an application in the Duo Admin Panel (Applications → Protect an Application): an Auth API application, which gives the Integration Key, the Secret Key and the API Hostname, or a Web SDK application for Duo's Universal Prompt, which gives the Client ID, the Client Secret and the API Hostname.",
            })}
          </Typography>
          {activating ? (
            <Typography tag="p" fontWeight="bold">
              {formatMessage({
                id: getTrad('settings.card.activating'),
                defaultMessage:
                  'Enter the keys below and click Save Changes. Duo is checked first; activation is refused while the check fails.',
              })}
            </Typography>
          ) : null}
          {activationLocked ? (
            <Typography tag="p" variant="pi" textColor="neutral600">
              {formatMessage(LOCKED_HINT)}
            </Typography>
          ) : null}
        </Flex>
        <CardActions {...props} />
      </Flex>
    </Panel>
  );
}

function CardActions({
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
  if (!canUpdate || activationLocked) return null;

  return (
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
        // Strapi 5's ConfirmDialog is the content of a design-system Dialog.Root, which owns the open state.
        <Dialog.Root open={confirming} onOpenChange={setConfirming}>
          <Dialog.Trigger>
            <Button variant="danger-light" loading={isDeactivating}>
              {formatMessage(DEACTIVATE)}
            </Button>
          </Dialog.Trigger>
          <ConfirmDialog
            variant="danger-light"
            onConfirm={() => {
              setConfirming(false);
              onDeactivate();
            }}
            endAction={
              <Dialog.Action>
                <Button
                  variant="danger-light"
                  fullWidth
                  onClick={() => {
                    setConfirming(false);
                    onDeactivate();
                  }}
                >
                  {formatMessage(DEACTIVATE)}
                </Button>
              </Dialog.Action>
            }
          >
            {formatMessage({
              id: getTrad('settings.card.deactivate.confirm'),
              defaultMessage:
                'Deactivate Duo Security? Staff and clients will sign in with their password only until it is activated again.',
            })}
          </ConfirmDialog>
        </Dialog.Root>
      ) : null}
    </Flex>
  );
}
