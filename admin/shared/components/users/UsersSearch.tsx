import { useState, type ChangeEvent, type FormEvent } from 'react';

import { SearchForm, Searchbar } from '@strapi/design-system';
import { useIntl } from 'react-intl';

import { getTrad } from '../../utils/getTrad.ts';

export interface UsersSearchProps {
  initial: string;
  /** Called on Enter with the trimmed text; '' clears the search. */
  onSearch(search: string): void;
}

/** Search by e-mail, username or (administrators) name; runs on Enter, clears with the ✕. */
export function UsersSearch({ initial, onSearch }: UsersSearchProps) {
  const { formatMessage } = useIntl();
  const [value, setValue] = useState(initial);
  const label = formatMessage({ id: getTrad('users.search'), defaultMessage: 'Search users' });

  return (
    <SearchForm
      onSubmit={(event: FormEvent<HTMLFormElement>) => {
        event.preventDefault();
        onSearch(value.trim());
      }}
    >
      <Searchbar
        name="search"
        value={value}
        onChange={(event: ChangeEvent<HTMLInputElement>) => setValue(event.target.value)}
        onClear={() => {
          setValue('');
          onSearch('');
        }}
        clearLabel={formatMessage({ id: getTrad('users.search.clear'), defaultMessage: 'Clear the search' })}
        placeholder={formatMessage({
          id: getTrad('users.search.placeholder'),
          defaultMessage: 'Search by e-mail, username or name',
        })}
      >
        {label}
      </Searchbar>
    </SearchForm>
  );
}
