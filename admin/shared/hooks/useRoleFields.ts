import { useState } from 'react';
import { useIntl } from 'react-intl';

import type { RoleEnforcement, RoleOption } from '../api/types.ts';
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
} from '../utils/roles.ts';
import type { SelectView } from '../utils/views.ts';

export interface RoleFieldsProps {
  audience: 'staff' | 'clients';
  options: readonly RoleOption[] | undefined;
  loadFailed: boolean;
  roles: readonly RoleEnforcement[];
  disabled: boolean;
  error?: string | undefined;
  onChange(roles: RoleEnforcement[]): void;
}

export interface GraceCountProps {
  name: string;
  label: string;
  initial: string;
  disabled: boolean;
  onCount(count: string): void;
}

export interface RoleRowView {
  id: number;
  level: SelectView<RoleChoice>;
  /** Only for a required role. */
  grace: SelectView<GraceKind> | undefined;
  /** Only for a required role with a grace period. */
  count: GraceCountProps | undefined;
}

export interface RoleFieldsView {
  headingId: string;
  title: string;
  hint: string;
  loadError: string | undefined;
  error: string | undefined;
  rows: readonly RoleRowView[];
}

/**
 * Enforcement per role of one audience, and a required role's grace period, worked out once for both admins: each
 * role's level, its grace kind and length, their labels and the overrides each change makes.
 */
export function useRoleFields({
  audience,
  options,
  loadFailed,
  roles,
  disabled,
  error,
  onChange,
}: RoleFieldsProps): RoleFieldsView {
  const { formatMessage } = useIntl();
  return {
    headingId: `duo-roles-${audience}`,
    title: formatMessage(ROLE_MESSAGES.title),
    hint: formatMessage(ROLE_MESSAGES.hint),
    loadError: loadFailed ? formatMessage(ROLE_MESSAGES.loadError) : undefined,
    error: error || undefined,
    rows: (options ?? []).map((option) => {
      const name = `${audience}.roles.${option.id}`;
      const choice = roleChoice(roles, option.id);
      const grace = graceOf(roles, option.id);
      const required = choice === 'required';
      return {
        id: option.id,
        level: {
          name,
          label: option.name,
          value: choice,
          disabled,
          options: ROLE_CHOICES.map((value) => ({ value, label: formatMessage(ROLE_CHOICE_LABELS[value]) })),
          onChange: (raw) => onChange(withRoleChoice(roles, option.id, raw as RoleChoice)),
        },
        grace: required
          ? {
              name: `${name}.grace`,
              label: `${option.name}: ${formatMessage(ROLE_MESSAGES.grace)}`,
              value: grace.kind,
              disabled,
              options: GRACE_KINDS.map((value) => ({ value, label: formatMessage(GRACE_LABELS[value]) })),
              onChange: (raw) => onChange(withGrace(roles, option.id, raw as GraceKind, grace.count || '3')),
            }
          : undefined,
        count:
          required && grace.kind !== 'none'
            ? {
                name: `${name}.count`,
                label: `${option.name}: ${formatMessage(ROLE_MESSAGES.count)}`,
                initial: grace.count,
                disabled,
                onCount: (count) => onChange(withGrace(roles, option.id, grace.kind, count)),
              }
            : undefined,
      };
    }),
  };
}

/** The grace period's length as typed: kept while not a whole number, handed on once it is one. */
export function useGraceCount({ initial, onCount }: GraceCountProps): { text: string; onText(text: string): void } {
  const [text, setText] = useState(initial);
  return {
    text,
    onText: (typed) => {
      setText(typed);
      if (/^[0-9]+$/.test(typed.trim())) onCount(typed.trim());
    },
  };
}
