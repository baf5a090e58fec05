import { Box, Flex, Typography } from '@strapi/design-system';
import { useIntl } from 'react-intl';

import { getTrad } from '../../../../shared/utils/getTrad.js';
import { Panel } from '../../components/Panel.js';

/** What to do without the phone: said before it happens. */
export function RecoveryHelp() {
  const { formatMessage } = useIntl();
  return (
    <Box marginTop={6}>
      <Panel labelledBy="duo-recovery-title">
        <Flex direction="column" alignItems="stretch" gap={2}>
          <Typography variant="delta" tag="h2" id="duo-recovery-title">
            {formatMessage({ id: getTrad('account.recovery.title'), defaultMessage: 'If you lose your phone' })}
          </Typography>
          <Typography tag="p">
            {formatMessage({
              id: getTrad('account.recovery.text'),
              defaultMessage:
                'Use one of your backup codes ("Lost your phone? Use a backup code" on the Duo step); a passcode from a hardware token or a Duo bypass code works too. Otherwise ask an administrator who may reset Duo (Settings → Duo users) to reset it for you; you then set up Duo again at your next sign-in.',
            })}
          </Typography>
        </Flex>
      </Panel>
    </Box>
  );
}
