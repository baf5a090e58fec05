import type { MessageDescriptor } from 'react-intl';

import type { Audience, AudienceName, Enforcement, FailMode, UsernameSource } from '../api/types.ts';
import { getTrad } from './getTrad.ts';

/** The form's layout as data: which audiences exist and which choices each one offers. */

export interface AudienceSection {
  name: AudienceName;
  title: MessageDescriptor;
  enableLabel: MessageDescriptor;
  enableHint: MessageDescriptor;
}

export const AUDIENCES: readonly AudienceSection[] = [
  {
    name: 'staff',
    title: { id: getTrad('settings.audience.staff.title'), defaultMessage: 'Staff' },
    enableLabel: { id: getTrad('settings.audience.staff.enable'), defaultMessage: 'Enable for Staff' },
    enableHint: {
      id: getTrad('settings.audience.staff.enable.hint'),
      defaultMessage: 'Administrators signing in to this admin panel.',
    },
  },
  {
    name: 'clients',
    title: { id: getTrad('settings.audience.clients.title'), defaultMessage: 'Clients' },
    enableLabel: { id: getTrad('settings.audience.clients.enable'), defaultMessage: 'Enable for Clients' },
    enableHint: {
      id: getTrad('settings.audience.clients.enable.hint'),
      defaultMessage: 'Users of your front end signing in through Users & Permissions.',
    },
  },
];

/** The remembered-devices switch of an audience (shown when the server knows the setting). */
export const REMEMBER_DEVICES = {
  label: { id: getTrad('settings.form.rememberDevices.label'), defaultMessage: 'Remember devices' },
  hint: {
    id: getTrad('settings.form.rememberDevices.hint'),
    defaultMessage:
      'When your Duo application’s policy remembers devices, a browser or app that passed Duo may sign in without a prompt for the period Duo sets. Resetting a user’s Duo forgets them.',
  },
} satisfies Record<string, MessageDescriptor>;

export interface ChoiceOption<V extends string> {
  value: V;
  label: MessageDescriptor;
  /** Shown under the select while this option is chosen: what it means for logins. */
  hint: MessageDescriptor;
}

interface ChoiceField<K extends ChoiceName> {
  name: K;
  label: MessageDescriptor;
  options: readonly ChoiceOption<Audience[K]>[];
}

export type ChoiceName = 'enforcement' | 'failMode' | 'usernameSource';

const ENFORCEMENT: ChoiceField<'enforcement'> = {
  name: 'enforcement',
  label: { id: getTrad('settings.form.enforcement.label'), defaultMessage: 'Enforcement' },
  options: [
    {
      value: 'optional',
      label: { id: getTrad('settings.form.enforcement.optional'), defaultMessage: 'Optional' },
      hint: {
        id: getTrad('settings.form.enforcement.optional.hint'),
        defaultMessage: 'Users opt in to Duo themselves.',
      },
    },
    {
      value: 'required',
      label: { id: getTrad('settings.form.enforcement.required'), defaultMessage: 'Required' },
      hint: {
        id: getTrad('settings.form.enforcement.required.hint'),
        defaultMessage: 'Everyone must use Duo; users without it are enrolled at their next login.',
      },
    },
  ],
};

const FAIL_MODE: ChoiceField<'failMode'> = {
  name: 'failMode',
  label: { id: getTrad('settings.form.failMode.label'), defaultMessage: 'Fail mode' },
  options: [
    {
      value: 'closed',
      label: { id: getTrad('settings.form.failMode.closed'), defaultMessage: 'Closed (recommended)' },
      hint: {
        id: getTrad('settings.form.failMode.closed.hint'),
        defaultMessage: 'Logins are refused while Duo cannot be reached.',
      },
    },
    {
      value: 'open',
      label: { id: getTrad('settings.form.failMode.open'), defaultMessage: 'Open' },
      hint: {
        id: getTrad('settings.form.failMode.open.hint'),
        defaultMessage: 'While Duo cannot be reached, the password login goes through; each one is audited.',
      },
    },
  ],
};

const EMAIL_OPTION: ChoiceOption<UsernameSource> = {
  value: 'email',
  label: { id: getTrad('settings.form.usernameSource.email'), defaultMessage: 'Email' },
  hint: {
    id: getTrad('settings.form.usernameSource.email.hint'),
    defaultMessage: 'The Strapi user’s email address is their username in Duo.',
  },
};

/** Staff accounts are made by administrators; a client types their own e-mail and username at registration. */
const USERNAME_SOURCE: Record<AudienceName, ChoiceField<'usernameSource'>> = {
  staff: {
    name: 'usernameSource',
    label: { id: getTrad('settings.form.usernameSource.label'), defaultMessage: 'Duo username' },
    options: [
      EMAIL_OPTION,
      {
        value: 'username',
        label: { id: getTrad('settings.form.usernameSource.username'), defaultMessage: 'Username' },
        hint: {
          id: getTrad('settings.form.usernameSource.username.hint'),
          defaultMessage: 'The Strapi user’s username is their username in Duo.',
        },
      },
    ],
  },
  clients: {
    name: 'usernameSource',
    label: { id: getTrad('settings.form.usernameSource.label'), defaultMessage: 'Duo username' },
    options: [
      {
        value: 'id',
        label: { id: getTrad('settings.form.usernameSource.id'), defaultMessage: 'Account id (recommended)' },
        hint: {
          id: getTrad('settings.form.usernameSource.id.hint'),
          defaultMessage:
            "Duo knows each client as strapi-client-'<id>': nothing a client types can reach someone else’s Duo user.",
        },
      },
      {
        ...EMAIL_OPTION,
        hint: {
          id: getTrad('settings.form.usernameSource.clientEmail.hint'),
          defaultMessage:
            'Only confirmed addresses (turn on email confirmation in Users & Permissions), never an administrator’s; set Duo’s username normalization to None.',
        },
      },
    ],
  },
};

export type AnyChoiceField = ChoiceField<'enforcement'> | ChoiceField<'failMode'> | ChoiceField<'usernameSource'>;

/** The choices one audience offers, in the order the page shows them. */
export function audienceChoices(audience: AudienceName): readonly AnyChoiceField[] {
  return [ENFORCEMENT, FAIL_MODE, USERNAME_SOURCE[audience]];
}

function pick<V extends string>(options: readonly ChoiceOption<V>[], raw: string | number): V | undefined {
  return options.find((option) => option.value === String(raw))?.value;
}

/** Applies a select's raw value to one audience, ignoring values that are not among the field's options. */
export function applyChoice(
  audienceName: AudienceName,
  audience: Audience,
  name: ChoiceName,
  raw: string | number,
): Audience {
  switch (name) {
    case 'enforcement': {
      const value: Enforcement | undefined = pick(ENFORCEMENT.options, raw);
      return value === undefined ? audience : { ...audience, enforcement: value };
    }
    case 'failMode': {
      const value: FailMode | undefined = pick(FAIL_MODE.options, raw);
      return value === undefined ? audience : { ...audience, failMode: value };
    }
    case 'usernameSource': {
      const value: UsernameSource | undefined = pick(USERNAME_SOURCE[audienceName].options, raw);
      return value === undefined ? audience : { ...audience, usernameSource: value };
    }
  }
}
