import type { ChangeEvent } from 'react';

import { Box, Flex, TextInput, Typography } from '@strapi/design-system';

import {
  useGraceCount,
  useRoleFields,
  type GraceCountProps,
  type RoleFieldsProps,
} from '../../shared/hooks/useRoleFields';
import { SelectField } from './SelectField';

/** Enforcement per role of one audience, and a required role's grace period (Strapi 4 design system). */
export function RoleFields(props: RoleFieldsProps) {
  const { headingId, title, hint, loadError, error, rows } = useRoleFields(props);
  return (
    <Box role="group" aria-labelledby={headingId} paddingTop={4}>
      <Flex direction="column" alignItems="stretch" gap={3}>
        <Typography variant="sigma" as="h4" id={headingId}>
          {title}
        </Typography>
        <Typography variant="pi" textColor="neutral600">
          {hint}
        </Typography>
        {loadError && <Typography textColor="danger600">{loadError}</Typography>}
        {error && <Typography textColor="danger600">{error}</Typography>}
        {rows.map((row) => (
          <Flex key={row.id} gap={2} alignItems="flex-end" wrap="wrap">
            <SelectField select={row.level} />
            {row.grace && <SelectField select={row.grace} />}
            {row.count && <GraceCount {...row.count} />}
          </Flex>
        ))}
      </Flex>
    </Box>
  );
}

function GraceCount(props: GraceCountProps) {
  const { text, onText } = useGraceCount(props);
  return (
    <TextInput
      name={props.name}
      label={props.label}
      inputMode="numeric"
      value={text}
      disabled={props.disabled}
      onChange={(event: ChangeEvent<HTMLInputElement>) => onText(event.target.value)}
    />
  );
}
