import { Checkbox } from '@strapi/design-system';

import type { CheckView } from '../../shared/utils/views';

/** A checkbox of the settings form with its hint and error (Strapi 4 design system). */
export function CheckField({ check }: { check: CheckView }) {
  return (
    <Checkbox
      name={check.name}
      value={check.checked}
      onValueChange={check.onChange}
      disabled={check.disabled}
      hint={check.hint}
      error={check.error}
    >
      {check.label}
    </Checkbox>
  );
}
