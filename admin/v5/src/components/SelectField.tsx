import { Field, SingleSelect, SingleSelectOption } from '@strapi/design-system';

import type { SelectView } from '../../../shared/utils/views.js';

/** A select of the settings form with its label, hint and error (Strapi 5 design system). */
export function SelectField<V extends string>({ select }: { select: SelectView<V> }) {
  return (
    <Field.Root name={select.name} hint={select.hint} error={select.error}>
      <Field.Label>{select.label}</Field.Label>
      <SingleSelect name={select.name} value={select.value} disabled={select.disabled} onChange={select.onChange}>
        {select.options.map((option) => (
          <SingleSelectOption key={option.value} value={option.value}>
            {option.label}
          </SingleSelectOption>
        ))}
      </SingleSelect>
      <Field.Hint />
      <Field.Error />
    </Field.Root>
  );
}
