import { Box, Flex, Link, Typography } from '@strapi/design-system';
import { useIntl } from 'react-intl';

import type { DuoOptions } from '../../../../shared/api/step.js';
import { getTrad } from '../../../../shared/utils/getTrad.js';

export interface EnrollViewProps {
  duo: Extract<DuoOptions, { result: 'enroll' }>;
}

/** Duo does not know the administrator yet: Duo Mobile by QR code, link or Duo's portal (design system 2: `tag`). */
export function EnrollView({ duo }: EnrollViewProps) {
  const { formatMessage } = useIntl();
  const { activation, enrollPortalUrl } = duo;

  return (
    <Flex direction="column" alignItems="stretch" gap={4} tag="section" aria-labelledby="duo-enroll-title">
      <Typography variant="delta" tag="h3" id="duo-enroll-title">
        {formatMessage({ id: getTrad('step.enroll.title'), defaultMessage: 'Set up Duo Mobile' })}
      </Typography>
      <Box tag="ol" paddingLeft={5} style={{ listStyleType: 'decimal' }}>
        <Typography tag="li">
          {formatMessage({
            id: getTrad('step.enroll.install'),
            defaultMessage: 'Install the free Duo Mobile app on your phone.',
          })}
        </Typography>
        <Typography tag="li">
          {formatMessage({
            id: getTrad('step.enroll.scan'),
            defaultMessage:
              'In Duo Mobile, add an account and scan this QR code, or open the activation link on your phone.',
          })}
        </Typography>
      </Box>
      {activation ? (
        <Flex direction="column" alignItems="flex-start" gap={3}>
          <Box padding={2} background="neutral0" borderColor="neutral150" hasRadius>
            <img
              src={activation.qrCodeUrl}
              width={200}
              height={200}
              alt={formatMessage({
                id: getTrad('step.enroll.qr'),
                defaultMessage: 'QR code to activate Duo Mobile',
              })}
            />
          </Box>
          <Link href={activation.activationUrl} isExternal>
            {formatMessage({
              id: getTrad('step.enroll.link'),
              defaultMessage: 'Activate Duo Mobile on this phone',
            })}
          </Link>
          <Typography textColor="neutral600">
            {formatMessage(
              { id: getTrad('step.enroll.code'), defaultMessage: 'Activation code: {code}' },
              {
                code: (
                  <code key="code" style={{ fontFamily: 'monospace', overflowWrap: 'anywhere' }}>
                    {activation.activationCode}
                  </code>
                ),
              },
            )}
          </Typography>
        </Flex>
      ) : null}
      {!activation && enrollPortalUrl ? (
        <Link href={enrollPortalUrl} isExternal>
          {formatMessage({
            id: getTrad('step.enroll.portal'),
            defaultMessage: "Add a device in Duo's enrolment portal",
          })}
        </Link>
      ) : null}
    </Flex>
  );
}
