import { Checkbox, Field } from '@strapi/design-system';

import type { CheckView } from '../../../shared/utils/views.js';

/** A checkbox of the settings form with its hint and error (Strapi 5 design system). */
export function CheckField({ check }: { check: CheckView }) {
  return (
    <Field.Root name={check.name} hint={check.hint} error={check.error}>
      {/* Design system 2's Checkbox is Radix's: the label is its children, the state `checked`. */}
      <Checkbox
        name={check.name}
        checked={check.checked}
        onCheckedChange={(checked) => check.onChange(checked === true)}
        disabled={check.disabled}
      >
        {check.label}
      </Checkbox>
      <Field.Hint />
      <Field.Error />
    </Field.Root>
  );
}
