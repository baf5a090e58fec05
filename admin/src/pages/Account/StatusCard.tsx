import { Badge, Box, Button, Flex, Typography } from '@strapi/design-system';

import { useStatusCard, type StatusCardProps } from '../../../shared/hooks/useStatusCard';

/** Whether Duo protects this account, and the buttons that change it (Strapi 4 design system). */
export function StatusCard({
  status,
  busy,
  stepOpen,
  onEnable,
  onDisable,
  onNewBackupCodes,
  children,
}: StatusCardProps) {
  const view = useStatusCard(status);
  return (
    <Flex direction="column" alignItems="stretch" gap={4}>
      <Flex justifyContent="space-between" alignItems="flex-start" gap={6}>
        <Flex direction="column" alignItems="stretch" gap={2}>
          <Flex gap={3}>
            <Typography variant="delta" as="h2" id="duo-account-title">
              {view.title}
            </Typography>
            <Badge active={view.enabled} data-testid="duo-account-status">
              {view.badge}
            </Badge>
          </Flex>
          <Typography as="p">{view.description}</Typography>
          {view.lastUsed !== null ? (
            <Typography as="p" textColor="neutral600">
              {view.lastUsed}
            </Typography>
          ) : null}
          {view.backupCodesRemaining !== null ? (
            <Typography as="p" textColor="neutral600" data-testid="duo-backup-codes-remaining">
              {view.backupCodesRemaining}
            </Typography>
          ) : null}
          {view.required !== null ? (
            <Typography as="p" textColor="neutral600">
              {view.required}
            </Typography>
          ) : null}
        </Flex>
        {!stepOpen ? (
          <Box shrink={0}>
            {view.enable !== null ? (
              <Button loading={busy} onClick={onEnable}>
                {view.enable}
              </Button>
            ) : null}
            {view.newBackupCodes !== null ? (
              <Flex gap={2}>
                <Button variant="secondary" loading={busy} onClick={onNewBackupCodes}>
                  {view.newBackupCodes}
                </Button>
                {view.disable !== null ? (
                  <Button variant="danger-light" loading={busy} onClick={onDisable}>
                    {view.disable}
                  </Button>
                ) : null}
              </Flex>
            ) : null}
          </Box>
        ) : null}
      </Flex>
      {children}
    </Flex>
  );
}
