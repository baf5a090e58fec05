import type { ChangeEvent } from 'react';

import { Field, Grid, Textarea, TextInput } from '@strapi/design-system';

import { useIntegrationFields, type IntegrationFieldsProps } from '../../../shared/hooks/useIntegrationFields.js';
import { SelectField } from './SelectField.js';

/** The integration type, its Duo application's values and the client return URLs (Strapi 5 design system). */
export function IntegrationFields(props: IntegrationFieldsProps) {
  const { type, keys, returnUrls } = useIntegrationFields(props);
  return (
    <Grid.Root gap={5}>
      {/* s={12}: one column on narrow screens (800 px with the admin's menus leaves ~500 px for the form). */}
      <Grid.Item col={6} s={12} direction="column" alignItems="stretch">
        <SelectField select={type} />
      </Grid.Item>
      <Grid.Item col={6} s={12} />
      {keys.map((field) => (
        <Grid.Item key={field.name} col={6} s={12} direction="column" alignItems="stretch">
          <Field.Root name={field.name} hint={field.hint} error={field.error}>
            <Field.Label>{field.label}</Field.Label>
            <TextInput
              name={field.name}
              type={field.secret ? 'password' : 'text'}
              autoComplete={field.secret ? 'new-password' : 'off'}
              spellCheck={false}
              placeholder={field.placeholder}
              value={field.value}
              onChange={(event: ChangeEvent<HTMLInputElement>) => field.onChange(event.target.value)}
              disabled={field.disabled}
            />
            <Field.Hint />
            <Field.Error />
          </Field.Root>
        </Grid.Item>
      ))}
      {returnUrls ? (
        <Grid.Item col={12} direction="column" alignItems="stretch">
          <Field.Root name={returnUrls.name} hint={returnUrls.hint} error={returnUrls.error}>
            <Field.Label>{returnUrls.label}</Field.Label>
            <Textarea
              name={returnUrls.name}
              value={returnUrls.value}
              spellCheck={false}
              disabled={returnUrls.disabled}
              onChange={(event: ChangeEvent<HTMLTextAreaElement>) => returnUrls.onChange(event.target.value)}
            />
            <Field.Hint />
            <Field.Error />
          </Field.Root>
        </Grid.Item>
      ) : null}
    </Grid.Root>
  );
}
