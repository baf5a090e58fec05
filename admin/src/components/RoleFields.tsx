import { useState, type ChangeEvent } from 'react';

import { Box, Flex, SingleSelect, SingleSelectOption, TextInput, Typography } from '@strapi/design-system';
import { useIntl } from 'react-intl';

import type { RoleEnforcement, RoleOption } from '../../shared/api/types';
import {
  GRACE_KINDS,
  GRACE_LABELS,
  graceOf,
  ROLE_CHOICE_LABELS,
  ROLE_CHOICES,
  ROLE_MESSAGES,
  roleChoice,
  withGrace,
  withRoleChoice,
  type GraceKind,
  type RoleChoice,
} from '../../shared/utils/roles';

export interface RoleFieldsProps {
  audience: 'staff' | 'clients';
  options: readonly RoleOption[] | undefined;
  loadFailed: boolean;
  roles: readonly RoleEnforcement[];
  disabled: boolean;
  error?: string | undefined;
  onChange(roles: RoleEnforcement[]): void;
}

/** Enforcement per role of one audience, and a required role's grace period (Strapi 4 design system). */
export function RoleFields({ audience, options, loadFailed, roles, disabled, error, onChange }: RoleFieldsProps) {
  const { formatMessage } = useIntl();
  const headingId = `duo-roles-${audience}`;
  return (
    <Box role="group" aria-labelledby={headingId} paddingTop={4}>
      <Flex direction="column" alignItems="stretch" gap={3}>
        <Typography variant="sigma" as="h4" id={headingId}>
          {formatMessage(ROLE_MESSAGES.title)}
        </Typography>
        <Typography variant="pi" textColor="neutral600">
          {formatMessage(ROLE_MESSAGES.hint)}
        </Typography>
        {loadFailed && <Typography textColor="danger600">{formatMessage(ROLE_MESSAGES.loadError)}</Typography>}
        {error && <Typography textColor="danger600">{error}</Typography>}
        {(options ?? []).map((option) => {
          const name = `${audience}.roles.${option.id}`;
          const choice = roleChoice(roles, option.id);
          const grace = graceOf(roles, option.id);
          return (
            <Flex key={option.id} gap={2} alignItems="flex-end" wrap="wrap">
              <SingleSelect
                name={name}
                label={option.name}
                value={choice}
                disabled={disabled}
                onChange={(raw: string | number) => onChange(withRoleChoice(roles, option.id, raw as RoleChoice))}
              >
                {ROLE_CHOICES.map((value) => (
                  <SingleSelectOption key={value} value={value}>
                    {formatMessage(ROLE_CHOICE_LABELS[value])}
                  </SingleSelectOption>
                ))}
              </SingleSelect>
              {choice === 'required' && (
                <SingleSelect
                  name={`${name}.grace`}
                  label={`${option.name}: ${formatMessage(ROLE_MESSAGES.grace)}`}
                  value={grace.kind}
                  disabled={disabled}
                  onChange={(raw: string | number) =>
                    onChange(withGrace(roles, option.id, raw as GraceKind, grace.count || '3'))
                  }
                >
                  {GRACE_KINDS.map((value) => (
                    <SingleSelectOption key={value} value={value}>
                      {formatMessage(GRACE_LABELS[value])}
                    </SingleSelectOption>
                  ))}
                </SingleSelect>
              )}
              {choice === 'required' && grace.kind !== 'none' && (
                <GraceCount
                  name={`${name}.count`}
                  label={`${option.name}: ${formatMessage(ROLE_MESSAGES.count)}`}
                  initial={grace.count}
                  disabled={disabled}
                  onCount={(count) => onChange(withGrace(roles, option.id, grace.kind, count))}
                />
              )}
            </Flex>
          );
        })}
      </Flex>
    </Box>
  );
}

/** The grace period's length as typed: kept while not a whole number, handed on once it is one. */
function GraceCount(props: {
  name: string;
  label: string;
  initial: string;
  disabled: boolean;
  onCount(count: string): void;
}) {
  const [text, setText] = useState(props.initial);
  return (
    <TextInput
      name={props.name}
      label={props.label}
      inputMode="numeric"
      value={text}
      disabled={props.disabled}
      onChange={(event: ChangeEvent<HTMLInputElement>) => {
        setText(event.target.value);
        if (/^[0-9]+$/.test(event.target.value.trim())) props.onCount(event.target.value.trim());
      }}
    />
  );
}
