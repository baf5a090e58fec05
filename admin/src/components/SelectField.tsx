import { SingleSelect, SingleSelectOption } from '@strapi/design-system';

import type { SelectView } from '../../shared/utils/views';

/** A select of the settings form with its label, hint and error (Strapi 4 design system). */
export function SelectField<V extends string>({ select }: { select: SelectView<V> }) {
  return (
    <SingleSelect
      name={select.name}
      label={select.label}
      hint={select.hint}
      error={select.error}
      value={select.value}
      disabled={select.disabled}
      onChange={select.onChange}
    >
      {select.options.map((option) => (
        <SingleSelectOption key={option.value} value={option.value}>
          {option.label}
        </SingleSelectOption>
      ))}
    </SingleSelect>
  );
}
