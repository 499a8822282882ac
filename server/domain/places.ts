// China's prefecture-level cities and county-level units by name, to tell a city's or county's own
// instrument (西安建筑垃圾管理条例, 景宁畲族自治县…条例) from a national one. The list is data/divisions/places.json,
// taken from modood/Administrative-divisions-of-China (the statistics bureau's division codes); see its README.
import places from '../../data/divisions/places.json' with { type: 'json' };

/** Ethnic names in the names of autonomous prefectures, dropped to get the short name (延边朝鲜族自治州 → 延边). */
const ETHNIC_RE = /(?:朝鲜|土家|苗|布依|侗|彝|哈尼|壮|傣|景颇|傈僳|藏|羌|白|回|蒙古|哈萨克|柯尔克孜|黎|瑶|纳西)族$/;

/** A prefecture's name as titles also write it: 西安市 → 西安, 大兴安岭地区 → 大兴安岭, 湘西土家族苗族自治州 → 湘西. */
export function shortPlaceName(name: string): string {
  let s = name.replace(/(?:市|地区|盟|自治州)$/, '');
  for (let prev = ''; prev !== s; ) {
    prev = s;
    s = s.replace(ETHNIC_RE, '');
  }
  return s;
}

/** Full names of prefectures and county-level units; short names of prefectures (two characters or more). */
const FULL = new Set<string>([...places.prefectures, ...places.counties]);
const SHORT = new Set<string>(places.prefectures.map(shortPlaceName).filter((s) => s.length >= 2));
const LENGTHS = [...new Set([...FULL, ...SHORT].map((n) => n.length))].sort((a, b) => b - a);

/**
 * The prefecture or county a title begins with, if any: its full name (广安市…, 景宁畲族自治县…) or a
 * prefecture's short name (西安…). A county's short name is not taken (公安县 would make 公安机关… a place).
 */
export function leadingPlace(title: string): string | null {
  for (const n of LENGTHS) {
    const head = title.slice(0, n);
    if (head.length === n && (FULL.has(head) || SHORT.has(head))) return head;
  }
  return null;
}
