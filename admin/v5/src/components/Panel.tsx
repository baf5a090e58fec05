import type { ReactNode } from 'react';

import { Box } from '@strapi/design-system';

export interface PanelProps {
  /** The id of the heading that names the region (screen readers and the tests find sections by it). */
  labelledBy: string;
  children: ReactNode;
  testId?: string;
}

/** The white card every section of the plugin's pages sits in, as Strapi's own settings pages draw them. */
export function Panel({ labelledBy, children, testId }: PanelProps) {
  return (
    <Box
      tag="section"
      aria-labelledby={labelledBy}
      data-testid={testId}
      background="neutral0"
      hasRadius
      shadow="filterShadow"
      paddingTop={6}
      paddingBottom={6}
      paddingLeft={7}
      paddingRight={7}
    >
      {children}
    </Box>
  );
}
