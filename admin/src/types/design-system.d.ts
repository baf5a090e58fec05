/**
 * @strapi/design-system 1.x ships JavaScript only ("Types won't be published till V2", strapi/design-system#1466).
 * These are the props of the components this plugin uses, read from the 1.19 sources, so the admin typechecks
 * strictly instead of importing an untyped module. Extend when a new component or prop is needed.
 */
declare module '@strapi/design-system' {
  import type * as React from 'react';

  type Space = number | string;
  type ThemeColor = string;

  export interface BoxProps extends Omit<React.HTMLAttributes<HTMLElement>, 'color'> {
    as?: keyof React.JSX.IntrinsicElements;
    children?: React.ReactNode;
    background?: ThemeColor;
    color?: ThemeColor;
    borderColor?: ThemeColor;
    borderStyle?: string;
    borderWidth?: string;
    hasRadius?: boolean;
    shadow?: string;
    padding?: Space;
    paddingTop?: Space;
    paddingRight?: Space;
    paddingBottom?: Space;
    paddingLeft?: Space;
    marginTop?: Space;
    marginRight?: Space;
    marginBottom?: Space;
    marginLeft?: Space;
    width?: string;
    height?: string;
    minWidth?: Space;
    maxWidth?: string;
    grow?: number;
    shrink?: number;
    position?: string;
  }

  export interface FlexProps extends BoxProps {
    alignItems?: 'flex-start' | 'flex-end' | 'center' | 'baseline' | 'stretch' | 'start';
    justifyContent?: 'flex-start' | 'flex-end' | 'center' | 'space-between' | 'space-around';
    direction?: 'row' | 'column';
    gap?: Space;
    wrap?: 'wrap' | 'nowrap';
    inline?: boolean;
  }

  export interface GridProps extends BoxProps {
    gap?: Space;
    gridCols?: number;
  }

  export interface GridItemProps extends BoxProps {
    col?: number;
    s?: number;
    xs?: number;
  }

  export type TypographyVariant = 'alpha' | 'beta' | 'delta' | 'epsilon' | 'omega' | 'pi' | 'sigma';

  export interface TypographyProps extends Omit<React.HTMLAttributes<HTMLElement>, 'color'> {
    as?: keyof React.JSX.IntrinsicElements;
    variant?: TypographyVariant;
    textColor?: ThemeColor;
    fontWeight?: 'regular' | 'semiBold' | 'bold';
    ellipsis?: boolean;
    children?: React.ReactNode;
  }

  export type ButtonVariant =
    'default' | 'secondary' | 'tertiary' | 'success' | 'success-light' | 'danger' | 'danger-light' | 'ghost';

  export interface ButtonProps extends Omit<React.ButtonHTMLAttributes<HTMLButtonElement>, 'color'> {
    variant?: ButtonVariant;
    size?: 'S' | 'M' | 'L';
    startIcon?: React.ReactNode;
    endIcon?: React.ReactNode;
    loading?: boolean;
    fullWidth?: boolean;
    children?: React.ReactNode;
  }

  interface FieldProps {
    label?: React.ReactNode;
    hint?: React.ReactNode;
    /** Shown under the field, linked with aria-describedby; the input is marked aria-invalid. */
    error?: string;
    required?: boolean;
    labelAction?: React.ReactNode;
  }

  export interface TextInputProps
    extends FieldProps, Omit<React.InputHTMLAttributes<HTMLInputElement>, 'size' | 'type'> {
    name: string;
    // The input's own type is passed through: a browser date picker for 'date'.
    type?: 'text' | 'password' | 'email' | 'url' | 'date';
    endAction?: React.ReactNode;
    startAction?: React.ReactNode;
  }

  export interface TextareaProps extends FieldProps, Omit<React.TextareaHTMLAttributes<HTMLTextAreaElement>, 'value'> {
    name: string;
    value?: string;
  }

  export interface CheckboxProps {
    name?: string;
    id?: string;
    value?: boolean;
    onValueChange?: (checked: boolean) => void;
    disabled?: boolean;
    hint?: React.ReactNode;
    error?: string;
    children?: React.ReactNode;
  }

  export interface SingleSelectProps extends FieldProps {
    id?: string;
    name?: string;
    value?: string | number | null;
    onChange?: (value: string | number) => void;
    disabled?: boolean;
    placeholder?: string;
    children?: React.ReactNode;
  }

  export interface SingleSelectOptionProps {
    value: string | number;
    children?: React.ReactNode;
  }

  export interface AlertProps extends Omit<BoxProps, 'title'> {
    title?: React.ReactNode;
    variant?: 'default' | 'success' | 'danger' | 'warning';
    onClose: () => void;
    closeLabel: string;
    titleAs?: keyof React.JSX.IntrinsicElements;
    action?: React.ReactNode;
    children?: React.ReactNode;
  }

  export interface BadgeProps extends BoxProps {
    active?: boolean;
    size?: 'S' | 'M';
    textColor?: ThemeColor;
    backgroundColor?: ThemeColor;
  }

  export interface HeaderLayoutProps {
    title: string;
    subtitle?: React.ReactNode;
    primaryAction?: React.ReactNode;
    secondaryAction?: React.ReactNode;
    navigationAction?: React.ReactNode;
    as?: keyof React.JSX.IntrinsicElements;
    id?: string;
  }

  export interface IconProps extends Omit<BoxProps, 'as'> {
    /** The @strapi/icons component to draw; its paths are filled with `color`. */
    as: React.ComponentType<React.SVGProps<SVGSVGElement>>;
    color?: ThemeColor;
  }

  export interface MainProps extends BoxProps {
    labelledBy?: string;
  }

  export interface TableProps extends React.TableHTMLAttributes<HTMLTableElement> {
    colCount: number;
    rowCount: number;
    footer?: React.ReactNode;
  }

  export interface ThProps extends React.ThHTMLAttributes<HTMLTableCellElement> {
    action?: React.ReactNode;
  }

  export interface SearchbarProps extends Omit<React.InputHTMLAttributes<HTMLInputElement>, 'size' | 'value'> {
    name: string;
    value?: string;
    /** The label, visually hidden. */
    children: React.ReactNode;
    onClear: (event: React.MouseEvent<HTMLButtonElement>) => void;
    clearLabel: string;
    size?: 'S' | 'M';
  }

  export interface TabGroupProps extends Omit<React.HTMLAttributes<HTMLDivElement>, 'children'> {
    label: string;
    id?: string;
    initialSelectedTabIndex?: number;
    selectedTabIndex?: number;
    onTabChange?: (selectedTabIndex: number) => void;
    variant?: 'simple';
    children?: React.ReactNode;
  }

  export interface TabProps extends React.HTMLAttributes<HTMLButtonElement> {
    disabled?: boolean;
    hasError?: boolean;
    children?: React.ReactNode;
  }

  export interface LinkProps extends Omit<React.AnchorHTMLAttributes<HTMLAnchorElement>, 'color'> {
    href?: string;
    to?: string;
    /** Opens in a new tab with rel="noreferrer noopener" and an external-link icon. */
    isExternal?: boolean;
    disabled?: boolean;
    startIcon?: React.ReactNode;
    endIcon?: React.ReactNode;
    children?: React.ReactNode;
  }

  export const Box: React.FC<BoxProps>;
  export const Flex: React.FC<FlexProps>;
  export const Grid: React.FC<GridProps>;
  export const GridItem: React.FC<GridItemProps>;
  export const Typography: React.FC<TypographyProps>;
  export const Button: React.FC<ButtonProps>;
  export const TextInput: React.FC<TextInputProps>;
  export const Textarea: React.FC<TextareaProps>;
  export const Checkbox: React.FC<CheckboxProps>;
  export const SingleSelect: React.FC<SingleSelectProps>;
  export const SingleSelectOption: React.FC<SingleSelectOptionProps>;
  export const Alert: React.FC<AlertProps>;
  export const Badge: React.FC<BadgeProps>;
  export const Divider: React.FC<BoxProps>;
  export const Icon: React.FC<IconProps>;
  export const Main: React.FC<MainProps>;
  export const HeaderLayout: React.FC<HeaderLayoutProps>;
  export const ContentLayout: React.FC<{ children?: React.ReactNode }>;
  export const Table: React.FC<TableProps>;
  export const Thead: React.FC<React.HTMLAttributes<HTMLTableSectionElement>>;
  export const Tbody: React.FC<React.HTMLAttributes<HTMLTableSectionElement>>;
  export const Tr: React.FC<React.HTMLAttributes<HTMLTableRowElement>>;
  export const Th: React.FC<ThProps>;
  export const Td: React.FC<React.TdHTMLAttributes<HTMLTableCellElement>>;
  export const VisuallyHidden: React.FC<BoxProps>;
  export const Searchbar: React.FC<SearchbarProps>;
  export const SearchForm: React.FC<React.FormHTMLAttributes<HTMLFormElement>>;
  export const TabGroup: React.FC<TabGroupProps>;
  export const Tabs: React.FC<{ children?: React.ReactNode }>;
  export const Tab: React.FC<TabProps>;
  export const Link: React.FC<LinkProps>;
}
