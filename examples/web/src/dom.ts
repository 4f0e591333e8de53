type Child = Node | string | null | undefined | false;

/** An element with attributes (`on…` functions become listeners) and children. */
export function h<Tag extends keyof HTMLElementTagNameMap>(
  tag: Tag,
  attributes: Record<string, string | boolean | ((event: Event) => void)> = {},
  ...children: Child[]
): HTMLElementTagNameMap[Tag] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (typeof value === "function") element.addEventListener(name.slice(2), value);
    else if (typeof value === "boolean") element.toggleAttribute(name, value);
    else element.setAttribute(name, value);
  }
  for (const child of children) if (child) element.append(child);
  return element;
}

/** What a view renders into, and how it says that it is gone (to end its subscriptions). */
export interface View {
  root: HTMLElement;
  dispose?: () => void;
}

/** The first error's message of a GraphQL result, for the page. */
export const errorText = (result: { errors?: readonly { message: string }[] }) =>
  result.errors?.[0]?.message;
