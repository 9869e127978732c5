/**
 * Templates with `{name}` filled from params, and English plurals written in the template itself:
 * `{count} {count|item|items}` reads "1 item", "2 items", "0 items". Catalogs without plurals
 * (Japanese) simply never use the `|` form.
 */
export type TemplateParams = Record<string, string | number>;

export function plural(count: number, one: string, other: string): string {
	return count === 1 ? one : other;
}

export function fillTemplate(template: string, params: TemplateParams | undefined): string {
	if (!params) {
		return template;
	}

	return template.replaceAll(/{(\w+)(?:\|([^|}]*)\|([^|}]*))?}/g, (whole, name: string, one: string | undefined, other: string | undefined) => {
		if (!(name in params)) {
			return whole;
		}

		const value = params[name];
		return one === undefined || other === undefined ? String(value) : plural(Number(value), one, other);
	});
}
