import { useState, type ChangeEvent, type FormEvent } from 'react';

import { Box, Button, Flex, SingleSelect, SingleSelectOption, TextInput } from '@strapi/design-system';
import { useIntl } from 'react-intl';

import type { AuditFilter } from '../../../shared/api/audit';
import { getTrad } from '../../../shared/utils/getTrad';
import { FieldRow } from '../FieldRow';

export interface AuditFiltersProps {
  initial: AuditFilter;
  /** The events to choose from, as the server lists them. */
  events: readonly string[];
  onApply(filter: AuditFilter): void;
}

const ALL = 'all';

/** Who (audience and a person), what (event) and when (two days, inclusive); applied together with one button. */
export function AuditFilters({ initial, events, onApply }: AuditFiltersProps) {
  const { formatMessage } = useIntl();
  const [filter, setFilter] = useState<AuditFilter>(initial);
  const set = (change: Partial<AuditFilter>) => setFilter((current) => ({ ...current, ...change }));
  const label = (id: string, defaultMessage: string) => formatMessage({ id: getTrad(id), defaultMessage });

  return (
    <Box
      as="form"
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
        <FieldRow minWidth="12rem">
          <SingleSelect
            name="audience"
            label={label('audit.filter.audience', 'Who')}
            value={filter.audience === '' ? ALL : filter.audience}
            onChange={(value: string | number) =>
              set({ audience: value === 'staff' || value === 'clients' ? value : '' })
            }
          >
            <SingleSelectOption value={ALL}>{label('audit.filter.audience.all', 'Everyone')}</SingleSelectOption>
            <SingleSelectOption value="staff">{label('users.audience.staff', 'Administrators')}</SingleSelectOption>
            <SingleSelectOption value="clients">{label('users.audience.clients', 'Clients')}</SingleSelectOption>
          </SingleSelect>
          <SingleSelect
            name="event"
            label={label('audit.filter.event', 'Event')}
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
          <TextInput
            name="user"
            label={label('audit.filter.user', 'User')}
            hint={label('audit.filter.user.hint', 'Part of an e-mail address, username or name')}
            value={filter.user}
            maxLength={100}
            onChange={(event: ChangeEvent<HTMLInputElement>) => set({ user: event.target.value })}
          />
          <TextInput
            name="from"
            type="date"
            label={label('audit.filter.from', 'From')}
            value={filter.from}
            onChange={(event: ChangeEvent<HTMLInputElement>) => set({ from: event.target.value })}
          />
          <TextInput
            name="to"
            type="date"
            label={label('audit.filter.to', 'To')}
            value={filter.to}
            onChange={(event: ChangeEvent<HTMLInputElement>) => set({ to: event.target.value })}
          />
        </FieldRow>
        <Box>
          <Button type="submit" variant="secondary">
            {label('audit.filter.apply', 'Apply filters')}
          </Button>
        </Box>
      </Flex>
    </Box>
  );
}
