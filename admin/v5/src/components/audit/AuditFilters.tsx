import { useState, type ChangeEvent, type FormEvent, type ReactNode } from 'react';

import { Box, Button, Field, Flex, SingleSelect, SingleSelectOption, TextInput } from '@strapi/design-system';
import { useIntl } from 'react-intl';

import type { AuditFilter } from '../../../../shared/api/audit.js';
import { getTrad } from '../../../../shared/utils/getTrad.js';

export interface AuditFiltersProps {
  initial: AuditFilter;
  /** The events to choose from, as the server lists them. */
  events: readonly string[];
  onApply(filter: AuditFilter): void;
}

const ALL = 'all';

/** One field that takes the room it can, and wraps under the others when there is none (an 800 px window). */
function Cell({ children }: { children: ReactNode }) {
  return <Box style={{ flex: '1 1 12rem', minWidth: 0 }}>{children}</Box>;
}

/** Who (audience and a person), what (event) and when (two days, inclusive); applied together with one button. */
export function AuditFilters({ initial, events, onApply }: AuditFiltersProps) {
  const { formatMessage } = useIntl();
  const [filter, setFilter] = useState<AuditFilter>(initial);
  const set = (change: Partial<AuditFilter>) => setFilter((current) => ({ ...current, ...change }));
  const label = (id: string, defaultMessage: string) => formatMessage({ id: getTrad(id), defaultMessage });
  const text = (name: 'user' | 'from' | 'to', id: string, english: string, type: 'text' | 'date', hint?: string) => (
    <Cell>
      <Field.Root name={name} hint={hint}>
        <Field.Label>{label(id, english)}</Field.Label>
        <TextInput
          type={type}
          value={filter[name]}
          maxLength={type === 'text' ? 100 : undefined}
          onChange={(event: ChangeEvent<HTMLInputElement>) => set({ [name]: event.target.value })}
        />
        <Field.Hint />
      </Field.Root>
    </Cell>
  );

  return (
    <Box
      tag="form"
      background="neutral0"
      hasRadius
      shadow="tableShadow"
      padding={4}
      onSubmit={(event: FormEvent<HTMLFormElement>) => {
        event.preventDefault();
        onApply({ ...filter, user: filter.user.trim() });
      }}
    >
      <Flex direction="column" alignItems="stretch" gap={4}>
        <Flex wrap="wrap" gap={4} alignItems="flex-start">
          <Cell>
            <Field.Root name="audience">
              <Field.Label>{label('audit.filter.audience', 'Who')}</Field.Label>
              <SingleSelect
                value={filter.audience === '' ? ALL : filter.audience}
                onChange={(value: string | number) =>
                  set({ audience: value === 'staff' || value === 'clients' ? value : '' })
                }
              >
                <SingleSelectOption value={ALL}>{label('audit.filter.audience.all', 'Everyone')}</SingleSelectOption>
                <SingleSelectOption value="staff">{label('users.audience.staff', 'Administrators')}</SingleSelectOption>
                <SingleSelectOption value="clients">{label('users.audience.clients', 'Clients')}</SingleSelectOption>
              </SingleSelect>
            </Field.Root>
          </Cell>
          <Cell>
            <Field.Root name="event">
              <Field.Label>{label('audit.filter.event', 'Event')}</Field.Label>
              <SingleSelect
                value={filter.event === '' ? ALL : filter.event}
                onChange={(value: string | number) => set({ event: value === ALL ? '' : String(value) })}
              >
                <SingleSelectOption value={ALL}>{label('audit.filter.event.all', 'Every event')}</SingleSelectOption>
                {events.map((event) => (
                  <SingleSelectOption key={event} value={event}>
                    {event}
                  </SingleSelectOption>
                ))}
              </SingleSelect>
            </Field.Root>
          </Cell>
          {text(
            'user',
            'audit.filter.user',
            'User',
            'text',
            label('audit.filter.user.hint', 'Part of an e-mail address, username or name'),
          )}
          {text('from', 'audit.filter.from', 'From', 'date')}
          {text('to', 'audit.filter.to', 'To', 'date')}
        </Flex>
        <Box>
          <Button type="submit" variant="secondary">
            {label('audit.filter.apply', 'Apply filters')}
          </Button>
        </Box>
      </Flex>
    </Box>
  );
}
