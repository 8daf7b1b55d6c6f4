#include "pages/rdm_pair_panel.h"

#include "charts/thumbnail_cache.h"

#include "alignscope/rsa_analysis.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>
#include <QPixmap>
#include <cmath>

using namespace alignscope;

namespace {

constexpr int kImageEdge = 96;

// One pass over the pairs: at THINGS scale (1.7 M pairs) a click costs a few milliseconds.
// A value that is not a number has no rank (NaN); the others rank among the values that are numbers.
PairRank rankOf(const CondensedMatrix& matrix, float value)
{
    std::int64_t below = 0, equal = 0, numbers = 0;
    for (float v : matrix.values) {
        below += v < value;
        equal += v == value;
        numbers += !std::isnan(v);
    }
    if (std::isnan(value)) return {std::nan(""), numbers};
    return {double(below) + (double(equal) + 1) / 2, numbers};
}

QString rankText(const PairRank& rank)
{
    const QLocale locale;
    if (!std::isfinite(rank.rank)) return RdmPairPanel::tr("no rank (not a number)");
    const QString position = rank.rank == std::floor(rank.rank) ? locale.toString(qlonglong(rank.rank))
                                                                : locale.toString(rank.rank, 'f', 1);
    return RdmPairPanel::tr("rank %1 of %2").arg(position, locale.toString(qlonglong(rank.of)));
}

} // namespace

RdmPairPanel::RdmPairPanel(TaskRunner* tasks, QWidget* parent)
    : QWidget(parent),
      m_thumbnails(new ThumbnailCache(tasks, kImageEdge, this)), m_images{new QLabel(this), new QLabel(this)},
      m_details(new QLabel(this))
{
    setObjectName(QStringLiteral("rdmPair"));
    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    for (QLabel* image : m_images) {
        image->setFixedSize(kImageEdge, kImageEdge);
        image->setAlignment(Qt::AlignCenter);
        layout->addWidget(image);
    }
    m_details->setTextFormat(Qt::RichText);
    m_details->setWordWrap(true);
    m_details->setAlignment(Qt::AlignTop | Qt::AlignLeft);
    m_details->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::LinksAccessibleByMouse);
    layout->addWidget(m_details, 1);
    connect(m_details, &QLabel::linkActivated, this, [this](const QString& link) {
        if (link == QLatin1String("triplets")) openTriplets();
    });
    connect(m_thumbnails, &ThumbnailCache::thumbnailReady, this, &RdmPairPanel::refreshImages);
    clear();
}

void RdmPairPanel::clear()
{
    m_analysis.reset();
    m_a = m_b = -1;
    m_humanRank = m_modelRank = {};
    for (QLabel* image : m_images)
        image->clear();
    m_details->setText(tr("Click a cell of a heatmap (or a divergent pair) to compare the two stimuli."));
}

QString RdmPairPanel::text() const
{
    return m_details->text();
}

void RdmPairPanel::setPair(std::shared_ptr<const RsaAnalysis> analysis, int model, std::int64_t a,
                           std::int64_t b)
{
    if (!analysis || model < 0 || size_t(model) >= analysis->models.size() || a < 0 || b < 0 || a == b ||
        a >= analysis->human.n || b >= analysis->human.n ||
        analysis->models[size_t(model)].rdm.n != analysis->human.n) {
        clear();
        return;
    }
    m_analysis = std::move(analysis);
    m_a = a;
    m_b = b;
    const RsaAnalysis& rsa = *m_analysis;
    const CondensedMatrix& rdm = rsa.models[size_t(model)].rdm;
    const float human = rsa.human.at(a, b), modelValue = rdm.at(a, b);
    m_humanRank = rankOf(rsa.human, human);
    m_modelRank = rankOf(rdm, modelValue);
    const auto name = [&rsa](std::int64_t s) {
        return QStringLiteral("<b>%1</b> (ID %2)")
            .arg(QString::fromStdString(rsa.stimuli->displayName(size_t(s))).toHtmlEscaped(),
                 QString::fromStdString(rsa.stimuli->id(size_t(s))).toHtmlEscaped());
    };
    const QString modelName = QString::fromStdString(rsa.models[size_t(model)].name).toHtmlEscaped();
    QString html = tr("%1 and %2<br>").arg(name(a), name(b));
    html += tr("people (%1): dissimilarity %2, %3<br>")
                .arg(QString::fromStdString(rsa.dataset).toHtmlEscaped(), QString::number(human, 'g', 4),
                     rankText(m_humanRank));
    html += tr("%1: dissimilarity %2, %3<br>")
                .arg(modelName, QString::number(modelValue, 'g', 4), rankText(m_modelRank));
    // As a share of all pairs, as the rank-difference heatmap and the divergent pairs compute it.
    const double difference =
        (m_modelRank.rank - m_humanRank.rank) / double(std::max<size_t>(1, rsa.human.values.size()));
    if (std::isfinite(difference))
        html += tr("rank difference (model − people) %1: %2<br>")
                    .arg(QString::number(difference, 'f', 3),
                         difference > 0   ? tr("the model finds them less alike than people do")
                         : difference < 0 ? tr("the model finds them more alike than people do")
                                          : tr("they agree"));
    html += tr("<a href=\"triplets\">The odd-one-out triplets with both</a>");
    m_details->setText(html);
    refreshImages();
}

void RdmPairPanel::refreshImages()
{
    for (int i = 0; i < 2; ++i) {
        const std::int64_t s = i == 0 ? m_a : m_b;
        QImage image;
        if (m_analysis && s >= 0 && size_t(s) < m_analysis->stimuli->imagePaths.size() &&
            !m_analysis->stimuli->imagePaths[size_t(s)].empty())
            image = m_thumbnails->get(QString::fromStdString(m_analysis->stimuli->imagePaths[size_t(s)]));
        if (image.isNull())
            m_images[i]->clear();
        else
            m_images[i]->setPixmap(QPixmap::fromImage(image));
    }
}

void RdmPairPanel::openTriplets()
{
    if (!m_analysis || m_a < 0 || m_b < 0) return;
    Q_EMIT tripletsRequested(QString::fromStdString(m_analysis->stimuli->id(size_t(m_a))),
                             QString::fromStdString(m_analysis->stimuli->id(size_t(m_b))));
}
