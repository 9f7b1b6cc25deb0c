// How admin pages read API failures: 401 goes to the session guard, 403 to the
// "for administrators" page, and anything else is shown as the problem's own words.
import { ApiError } from "../api";

export const isForbidden = (err: unknown): err is ApiError => err instanceof ApiError && err.status === 403;

export const isNotFound = (err: unknown): err is ApiError => err instanceof ApiError && err.status === 404;

/** The problem's detail (written for people), else its title, else the fallback. */
export const errorText = (err: unknown, fallback: string): string => (err instanceof Error && err.message ? err.message : fallback);

/**
 * The API names the first bad field at the start of a 422 detail ("delivery.port must be …");
 * the form marks that field invalid so the message and the input are tied together.
 */
export function invalidField(err: unknown): string | null {
	if (!(err instanceof ApiError) || err.status !== 422 || !err.detail) return null;
	const named = /^((?:delivery|outbound|policy)\.[A-Za-z]+)/.exec(err.detail)?.[1];
	if (named) return named;
	// The schedule checks name their field without the "policy." prefix.
	const schedule = /^(retrySchedule|delayWarnings|lifetimeSeconds)\b/.exec(err.detail)?.[1];
	return schedule ? `policy.${schedule}` : null;
}
