import type { ReactNode } from 'react';

import { Box, Flex } from '@strapi/design-system';

/**
 * Fields side by side while they fit, one under the other when they do not. Strapi's Grid sizes its columns from
 * the window, not from the room the admin's two side menus leave, so at 800 px its two columns overflowed the card.
 */
export function FieldRow({ children, minWidth = '16rem' }: { children: ReactNode[]; minWidth?: string }) {
  return (
    <Flex wrap="wrap" gap={5} alignItems="flex-start">
      {children.map((child, index) => (
        <Box key={index} style={{ flex: `1 1 ${minWidth}`, minWidth: 0 }}>
          {child}
        </Box>
      ))}
    </Flex>
  );
}
