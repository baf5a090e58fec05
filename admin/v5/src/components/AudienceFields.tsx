import { Box, Flex, Typography } from '@strapi/design-system';

import type { AudienceView } from '../../../shared/hooks/useAudienceGrid.js';
import { CheckField } from './CheckField.js';
import { SelectField } from './SelectField.js';

/** Enforcement, fail mode, Duo username and remembered devices of one audience (Strapi 5 design system). */
export function AudienceFields({ view }: { view: AudienceView }) {
  const { headingId, title, choices, remember } = view;
  return (
    <Box role="group" aria-labelledby={headingId} background="neutral100" hasRadius padding={5}>
      <Flex direction="column" alignItems="stretch" gap={4}>
        <Typography variant="delta" tag="h3" id={headingId}>
          {title}
        </Typography>
        {choices.map((field) => (
          <SelectField key={field.name} select={field} />
        ))}
        {remember && <CheckField check={remember} />}
      </Flex>
    </Box>
  );
}
